// BEST_PRACTICES § Performance Optimization → Choose Right Queue Strategy
// (and § Capacity Planning: a few queues by type, workers sized per queue).
// A slow task never waits behind fast ones, and each queue's worker gets the concurrency that fits it.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Turbine } from '../src/index.js';

export async function separateQueues(app: Turbine, prefix = '') {
  const queues = {
    fast: `${prefix}fast`, // < 100 ms tasks
    slow: `${prefix}slow`, // > 1 s tasks
    io: `${prefix}io-bound`, // I/O heavy
    cpu: `${prefix}cpu-bound`, // CPU heavy
  };
  const quickTask = app.task('quick_task', { queue: queues.fast }, async () => 'quick');
  const longRunningTask = app.task('long_running_task', { queue: queues.slow }, async () => {
    await sleep(20); // stands for a task of many seconds
    return 'long';
  });
  const downloadFile = app.task('download_file', { queue: queues.io }, async (url: string) => {
    await sleep(5); // waiting on the network costs no CPU
    return `downloaded ${url}`;
  });
  const processImage = app.task('process_image', { queue: queues.cpu }, async (pixels: string) => {
    let digest = pixels;
    for (let i = 0; i < 1_000; i++) digest = createHash('sha256').update(digest).digest('hex');
    return digest.slice(0, 8);
  });

  // One worker per queue (separate processes in production: `turbine worker --queues fast`).
  const workers = {
    [queues.fast]: app.worker({ queues: [queues.fast], concurrency: 8 }),
    [queues.slow]: app.worker({ queues: [queues.slow], concurrency: 2 }),
    [queues.io]: app.worker({ queues: [queues.io], concurrency: 32 }), // many waits at once
    [queues.cpu]: app.worker({ queues: [queues.cpu], concurrency: 1 }), // one core per process
  };
  await Promise.all(Object.values(workers).map((worker) => worker.start()));
  try {
    const results = [
      await quickTask.delay(),
      await longRunningTask.delay(),
      await downloadFile.delay('https://example.com/a.zip'),
      await processImage.delay('raw-pixels'),
    ];
    return await Promise.all(
      results.map(async (r) => {
        const value = await r.get({ timeout: '10s' });
        const { name, queue, workerId } = await r.info();
        return { name, value, queue, workerId, queueWorkerId: workers[queue]?.id };
      }),
    );
  } finally {
    await Promise.all(Object.values(workers).map((worker) => worker.stop()));
  }
}
