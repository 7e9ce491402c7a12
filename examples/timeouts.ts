// BEST_PRACTICES § Reliability → Set Appropriate Timeouts.
// Match the timeout to the expected duration plus a buffer, and give the task's own I/O a shorter
// limit so it fails with a clear error before the worker has to kill it.
// Production: { timeout: '30s' } with a 25 s fetch timeout; { timeout: '10m' } for a report.
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskFailedError, type AsyncResult, type Turbine } from '../src/index.js';

/** A fake upstream that answers after `latencyMs` unless `signal` aborts first. */
async function upstream(latencyMs: number, signal: AbortSignal) {
  await sleep(latencyMs, undefined, { signal });
  return { status: 200 };
}

export async function timeouts(app: Turbine, queue = 'default') {
  const apiCall = app.task(
    'api_call',
    { queue, timeout: '500ms', maxRetries: 0 }, // production: '30s'
    async (latencyMs: number) => {
      try {
        return await upstream(latencyMs, AbortSignal.timeout(250)); // production: 25 s
      } catch (error) {
        throw new Error(`upstream did not answer within 250 ms`, { cause: error });
      }
    },
  );
  const generateReport = app.task('generate_report', { queue, timeout: '200ms', maxRetries: 0 }, async () => {
    await new Promise(() => {}); // a stuck task: ignores every signal and never returns
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const fast = await apiCall.delay(5);
    const slow = await apiCall.delay(10_000);
    const stuck = await generateReport.delay();
    const failure = async (r: AsyncResult) => {
      const error = await r.get({ timeout: '10s' }).catch((e: unknown) => e);
      return error instanceof TaskFailedError ? error.remote : error;
    };
    return {
      fast: await fast.get({ timeout: '10s' }),
      slow: await failure(slow), // the task's own, clear error
      stuck: await failure(stuck), // killed by the worker: TaskTimeoutError
    };
  } finally {
    await worker.stop();
  }
}
