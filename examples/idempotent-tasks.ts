// BEST_PRACTICES § Task Design → Idempotent Tasks.
// Turbine delivers at least once: a task may run again after a retry or a worker crash.
// ❌ `user.loginCount += 1` counts a duplicate twice; ✅ an upsert on (userId, timestamp) does not.
import type { Turbine } from '../src/index.js';

export async function recordLogins(app: Turbine, queue = 'default') {
  const logins = new Map<string, { userId: number; loginTimestamp: string }>(); // unique (userId, timestamp)
  let runs = 0;

  const recordLogin = app.task('record_login', { queue }, async (userId: number, loginTimestamp: string) => {
    runs++;
    const key = `${userId}@${loginTimestamp}`;
    if (!logins.has(key)) logins.set(key, { userId, loginTimestamp }); // get-or-create: the upsert
    return key;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    // The same login delivered three times (a retry, a redelivery, a double submit).
    const login: [number, string] = [7, '2024-01-09T10:00:00Z'];
    const results = await recordLogin.delayMany([login, login, login]);
    const keys = await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    return { runs, keys, rows: [...logins.values()] };
  } finally {
    await worker.stop();
  }
}
