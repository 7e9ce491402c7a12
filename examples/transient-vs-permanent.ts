// BEST_PRACTICES § Error Handling → Distinguish Transient vs Permanent Errors.
// PermanentError goes to the DLQ after one attempt; TransientError is retried while attempts remain.
import { PermanentError, TransientError, type Turbine } from '../src/index.js';

/** A fake HTTP API: each endpoint answers with the next status of its script (the last one repeats). */
function fakeApi(script: Record<string, number[]>) {
  const calls = new Map<string, number>();
  return async (endpoint: string) => {
    const n = calls.get(endpoint) ?? 0;
    calls.set(endpoint, n + 1);
    const statuses = script[endpoint] ?? [404];
    const status = statuses[Math.min(n, statuses.length - 1)]!;
    return { status, ok: status < 400, json: async () => ({ endpoint }) };
  };
}

export async function callApis(app: Turbine, queue = 'default') {
  const get = fakeApi({ '/users/1': [200], '/flaky': [503, 502, 200], '/down': [500] });

  const apiCall = app.task(
    'api_call',
    { queue, maxRetries: 3, retryDelay: '10ms' },
    async (endpoint: string) => {
      const response = await get(endpoint);
      if (response.ok) return response.json();
      if ([400, 401, 404].includes(response.status)) {
        throw new PermanentError(`Client error: ${response.status}`); // don't retry
      }
      throw new TransientError(`Server error: ${response.status}`); // retry
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const outcomes: Record<string, { state: string; attempts: number; dlqReason?: string }> = {};
    for (const endpoint of ['/users/1', '/flaky', '/missing', '/down']) {
      const r = await apiCall.delay(endpoint);
      await r.get({ timeout: '10s' }).catch(() => undefined);
      const { state, attempts } = await r.info();
      outcomes[endpoint] = { state, attempts, dlqReason: (await app.dlq.get(r.id))?.reason };
    }
    return outcomes;
  } finally {
    await worker.stop();
  }
}
