// BEST_PRACTICES § Cost Optimization → Batch to Reduce Overhead (Batcher).
// `await using` sends a full batch every 100 calls and the rest when the block ends:
// 250 calls cost 3 broker writes, not 250.
import { Batcher, type AsyncResult, type Turbine } from '../src/index.js';

export async function batchCalls(app: Turbine, largeDataset: number[], queue = 'default') {
  const myTask = app.task('my_task', { queue }, async (item: number) => item * 2);

  const handles: Promise<AsyncResult<number>>[] = [];
  {
    await using batcher = new Batcher(myTask, { batchSize: 100 });
    for (const item of largeDataset) handles.push(batcher.add(item));
  } // leaving the block flushes the last, partial batch

  const results = await Promise.all(handles); // every call is sent
  // Nothing has run yet: count the messages waiting on the queue.
  const messages = (await app.queues()).find((q) => q.name === queue)?.waiting ?? 0;

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const values = await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    return { messages, values, distinctIds: new Set(results.map((r) => r.id)).size };
  } finally {
    await worker.stop();
  }
}
