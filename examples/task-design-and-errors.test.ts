import { describe, expect, it } from 'vitest';
import { brokerTargets } from '../test/conformance/broker-targets.js';
import { uniqueQueue, useBroker } from '../test/conformance/use-broker.js';
import { inspectAndReplay } from './dlq-replay.js';
import { processOrderExplicitly } from './explicit-parameters.js';
import { sendEmails } from './fail-fast.js';
import { recordLogins } from './idempotent-tasks.js';
import { retryWithBackoff } from './retry-backoff.js';
import { signUpUser } from './small-focused-tasks.js';
import { callApis } from './transient-vs-permanent.js';

describe.each(brokerTargets)('examples: task design and error handling on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('small-focused-tasks: chains create_user → send_welcome_email → create_profile', async () => {
    const out = await signUpUser(makeApp(), { name: 'Ada', email: 'ada@example.com' }, uniqueQueue());
    expect(out).toEqual({
      profile: { userId: 1 },
      users: [{ name: 'Ada', email: 'ada@example.com' }],
      sentEmails: ['ada@example.com: Welcome!'],
      profiles: [1],
    });
  });

  it('idempotent-tasks: three runs of record_login leave one row', async () => {
    const out = await recordLogins(makeApp(), uniqueQueue());
    expect(out.runs).toBe(3);
    expect(new Set(out.keys)).toEqual(new Set(['7@2024-01-09T10:00:00Z']));
    expect(out.rows).toEqual([{ userId: 7, loginTimestamp: '2024-01-09T10:00:00Z' }]);
  });

  it('explicit-parameters: the task needs nothing but its arguments', async () => {
    const out = await processOrderExplicitly(makeApp(), uniqueQueue());
    const expected = { orderId: 'order-1', tenantId: 'acme', notify: 'ada@example.com', total: 42.5 };
    expect(out.remote).toEqual(expected);
    expect(out.local).toEqual(expected);
  });

  it('fail-fast: invalid input fails at once via dontRetryOn, an SMTP error is retried', async () => {
    const out = await sendEmails(makeApp(), uniqueQueue());
    expect(out.sent).toEqual({ value: 'Hi → ada@example.com', attempts: 2 });
    expect(out.rejected).toMatchObject({
      error: { name: 'InvalidEmailError', message: 'Invalid email: not-an-email' },
      attempts: 1,
      dlqReason: 'dontRetryOn: InvalidEmailError',
    });
  });

  it('transient-vs-permanent: PermanentError is not retried, TransientError is', async () => {
    const out = await callApis(makeApp(), uniqueQueue());
    expect(out).toEqual({
      '/users/1': { state: 'SUCCESS', attempts: 1, dlqReason: undefined },
      '/flaky': { state: 'SUCCESS', attempts: 3, dlqReason: undefined },
      '/missing': { state: 'FAILURE', attempts: 1, dlqReason: 'permanent error' },
      '/down': { state: 'FAILURE', attempts: 4, dlqReason: 'retries exhausted' },
    });
  });

  it('dlq-replay: lists the failed tasks, replays them under the same ids, empties the DLQ', async () => {
    const out = await inspectAndReplay(makeApp(), uniqueQueue());
    expect(out.report.sort()).toEqual([
      'Failed: sync_invoice - exchange-rate service unavailable (retries exhausted, 2 attempts)',
      'Failed: sync_invoice - exchange-rate service unavailable (retries exhausted, 2 attempts)',
    ]);
    expect(new Set(out.replayedIds)).toEqual(new Set(out.failedIds));
    expect(out.values.sort()).toEqual(['invoice 41 synced', 'invoice 42 synced']);
    expect(out.left).toEqual([]);
  });

  it('retry-backoff: retries with doubling waits, then succeeds', async () => {
    const out = await retryWithBackoff(makeApp(), 3, uniqueQueue());
    expect(out).toMatchObject({ state: 'SUCCESS', attempts: 4, dlqReason: undefined });
    expect(out.value).toEqual({ url: 'https://api.example.com/rates', status: 200 });
    expect(out.gapsMs).toHaveLength(3);
    out.gapsMs.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i));
  });

  it('retry-backoff: gives up after maxRetries (6 attempts) into the DLQ', async () => {
    const out = await retryWithBackoff(makeApp(), Infinity, uniqueQueue());
    expect(out).toMatchObject({ state: 'FAILURE', attempts: 6, dlqReason: 'retries exhausted' });
    expect(out.value).toBeUndefined();
    expect(out.gapsMs).toHaveLength(5); // 20, 40, 80, 160, 320 ms at least
    out.gapsMs.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i));
  });
});
