// BEST_PRACTICES § Workflow Patterns → Retry with Backoff.
// Retry n waits retryDelay × 2^(n−1). In production, { maxRetries: 5, retryDelay: '60s' } gives:
//   1st retry 60 s, 2nd 120 s, 3rd 240 s, 4th 480 s, 5th 960 s (each wait capped by retryBackoffMax, 1h).
// Runnable here with retryDelay '20ms': 20, 40, 80, 160, 320 ms.
import { currentTask, type Turbine } from '../src/index.js';

export async function retryWithBackoff(app: Turbine, failures: number, queue = 'default') {
  const flakyApiCall = app.task(
    'flaky_api_call',
    { queue, maxRetries: 5, retryDelay: '20ms' },
    async (url: string) => {
      if (currentTask().attempt <= failures) throw new Error(`${url}: 503 Service Unavailable`);
      return { url, status: 200 };
    },
  );

  const worker = app.worker({ queues: [queue] });
  const startedAt: number[] = [];
  worker.on('task:started', (event) => startedAt.push(event.startedAt));
  await worker.start();
  try {
    const r = await flakyApiCall.delay('https://api.example.com/rates');
    const value = await r.get({ timeout: '10s' }).catch(() => undefined);
    const { state, attempts } = await r.info();
    const gapsMs = startedAt.slice(1).map((t, i) => t - startedAt[i]!); // time between attempts
    return { value, state, attempts, gapsMs, dlqReason: (await app.dlq.get(r.id))?.reason };
  } finally {
    await worker.stop();
  }
}
