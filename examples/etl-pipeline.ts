// BEST_PRACTICES § Workflow Patterns → ETL Pipeline.
// chain() runs extract → transform → load; each step's result is prepended to the next one's args.
import { chain, type AsyncResult, type Turbine } from '../src/index.js';

const files: Record<string, string> = {
  'source.csv': 'name,amount\nada,10\ngrace,-3\nlinus,25\n',
};

export async function etlPipeline(app: Turbine, queue = 'default') {
  const warehouse: { name: string; cents: number }[] = [];

  const extract = app.task('extract', { queue }, async (source: string) => {
    const [, ...lines] = files[source]!.trim().split('\n');
    return lines.map((line) => line.split(','));
  });
  const transform = app.task('transform', { queue }, async (rows: string[][]) =>
    rows
      .map(([name, amount]) => ({ name: name!, cents: Math.round(Number(amount) * 100) }))
      .filter((row) => row.cents > 0),
  );
  const load = app.task('load', { queue }, async (rows: { name: string; cents: number }[]) => {
    warehouse.push(...rows);
    return rows.length;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const pipeline = chain(extract.s('source.csv'), transform.s(), load.s());
    const loaded = await ((await pipeline.delay()) as AsyncResult<number>).get({ timeout: '10s' });
    return { loaded, warehouse };
  } finally {
    await worker.stop();
  }
}
