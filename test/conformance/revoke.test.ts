import { describe, expect, it } from 'vitest';
import { currentTask, TaskRevokedError } from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('revocation on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('never runs a task revoked before it started', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let runs = 0;
    const job = app.task('job', { queue }, async () => {
      runs++;
    });
    const waiting = await job.delay();
    const delayed = await job.applyAsync([], { countdown: '100ms' });
    await waiting.revoke();
    await app.result(delayed.id).revoke();
    expect(await waiting.state()).toBe('REVOKED');
    expect(await delayed.state()).toBe('REVOKED');
    await app.worker({ queues: [queue] }).start();
    const marker = await job.delay();
    await marker.get({ timeout: '10s' });
    await expect(waiting.get({ timeout: '1s' })).rejects.toBeInstanceOf(TaskRevokedError);
    expect(runs).toBe(1);
  });

  it('aborts the signal of a running task', async () => {
    const app = makeApp();
    const queue = uniqueQueue();
    let started = false;
    let abortReason: unknown;
    const long = app.task('long', { queue }, async () => {
      const { signal } = currentTask();
      started = true;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      abortReason = signal.reason;
      throw signal.reason;
    });
    await app.worker({ queues: [queue] }).start();
    const r = await long.delay();
    await waitFor(() => started, 'the task to start');
    await waitFor(async () => (await r.state()) === 'STARTED', 'state STARTED');
    await r.revoke();
    await expect(r.get({ timeout: '10s' })).rejects.toBeInstanceOf(TaskRevokedError);
    expect(abortReason).toBeInstanceOf(TaskRevokedError);
    expect(await r.state()).toBe('REVOKED');
  });
});
