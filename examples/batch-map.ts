// BEST_PRACTICES § Common Anti-Patterns → Don't Chain Too Many Tasks.
// ❌ chain(...range(100).map((i) => processItem.s(i))): 100 hops one after the other, and each step
//    would also get the previous step's result prepended to its arguments.
// ✅ batchMap: the items are independent, so send them as 5 messages of 20 and run them in parallel.
import { batchMap, type BatchProgress, type Turbine } from '../src/index.js';

export async function processManyItems(app: Turbine, queue = 'default') {
  const processItem = app.task('process_item', { queue }, async (i: number) => i * i);

  const worker = app.worker({ queues: [queue], concurrency: 4 });
  await worker.start();
  try {
    const progress: BatchProgress[] = [];
    const range = Array.from({ length: 100 }, (_, i) => i);
    const results = await batchMap(processItem, range, {
      batchSize: 20,
      timeout: '30s',
      onProgress: (p) => progress.push(p),
    });
    return { results, lastProgress: progress.at(-1) };
  } finally {
    await worker.stop();
  }
}
