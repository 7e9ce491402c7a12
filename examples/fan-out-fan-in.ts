// BEST_PRACTICES § Workflow Patterns → Fan-Out/Fan-In.
// chord(): the chunks are processed in parallel; aggregate runs once, with their results in order.
import { chord, type Turbine } from '../src/index.js';

export async function fanOutFanIn(app: Turbine, data: number[], queue = 'default') {
  const splitWork = app.task('split_work', { queue }, async (values: number[], size: number) => {
    const chunks: number[][] = [];
    for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
    return chunks;
  });
  const processChunk = app.task('process_chunk', { queue }, async (chunk: number[]) =>
    chunk.reduce((sum, x) => sum + x * x, 0),
  );
  const aggregate = app.task('aggregate', { queue }, async (results: number[]) => ({
    parts: results,
    total: results.reduce((a, b) => a + b, 0),
  }));

  const worker = app.worker({ queues: [queue], concurrency: 4 });
  await worker.start();
  try {
    const chunks = await (await splitWork.delay(data, 25)).get({ timeout: '10s' });
    const workflow = chord(
      chunks.map((chunk) => processChunk.s(chunk)),
      aggregate.s(),
    );
    const result = await (await workflow.delay()).get({ timeout: '10s' });
    return result as { parts: number[]; total: number };
  } finally {
    await worker.stop();
  }
}
