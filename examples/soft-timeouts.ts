// BEST_PRACTICES § Reliability → Use Soft Timeouts for Warnings.
// At softTimeout, currentTask().signal aborts with SoftTimeLimitExceeded: save state and stop.
// At timeout the attempt is failed with TaskTimeoutError. Production: { timeout: '300s', softTimeout: '250s' }.
import { setTimeout as sleep } from 'node:timers/promises';
import { currentTask, SoftTimeLimitExceeded, type Turbine } from '../src/index.js';

export async function softTimeout(app: Turbine, queue = 'default') {
  const checkpoints: { processed: number; remaining: number[] }[] = [];

  const processingTask = app.task(
    'processing_task',
    { queue, timeout: '5s', softTimeout: '150ms' },
    async (items: number[]) => {
      const { signal } = currentTask();
      let processed = 0;
      for (const _item of items) {
        if (signal.aborted) break;
        await sleep(10); // one unit of work
        processed++;
      }
      // Save state so the rest can be picked up later, then stop gracefully.
      checkpoints.push({ processed, remaining: items.slice(processed) });
      return {
        processed,
        stoppedEarly: signal.reason instanceof SoftTimeLimitExceeded,
        reason: (signal.reason as Error | undefined)?.name,
      };
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const items = Array.from({ length: 100 }, (_, i) => i); // about 1 s of work
    const r = await processingTask.delay(items);
    return { result: await r.get({ timeout: '10s' }), state: await r.state(), checkpoints };
  } finally {
    await worker.stop();
  }
}
