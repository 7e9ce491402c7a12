// BEST_PRACTICES § Common Anti-Patterns → Don't Ignore Failures.
// ❌ `for (const item of items) await processItem.delay(item)` and forget: no way to know what failed.
// ✅ keep every AsyncResult and check it.
import { PermanentError, TaskFailedError, type Turbine } from '../src/index.js';

export async function trackResults(app: Turbine, items: number[], queue = 'default') {
  const processItem = app.task('process_item', { queue }, async (item: number) => {
    if (item < 0) throw new PermanentError(`item ${item} is negative`);
    return item * 10;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const results = await processItem.delayMany(items.map((item): [number] => [item]));

    const values: number[] = [];
    const failures: { taskId: string; error: string; dlqReason?: string }[] = [];
    for (const result of results) {
      try {
        values.push(await result.get({ timeout: '60s' }));
      } catch (error) {
        // handle_failure: log it, alert, or look the task up in the DLQ to replay it later
        const message = error instanceof TaskFailedError ? error.remote.message : String(error);
        failures.push({
          taskId: result.id,
          error: message,
          dlqReason: (await app.dlq.get(result.id))?.reason,
        });
      }
    }
    return { values, failures };
  } finally {
    await worker.stop();
  }
}
