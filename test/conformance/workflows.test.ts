import { describe, expect, it } from 'vitest';
import {
  chain,
  chord,
  ChordError,
  group,
  GroupResult,
  PermanentError,
  TaskFailedError,
  type AsyncResult,
} from '../../src/index.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('workflows on $name', (target) => {
  const { makeApp } = useBroker(target);

  const setup = async (concurrency = 8) => {
    const app = makeApp();
    const queue = uniqueQueue('wf');
    const add = app.task('add', { queue }, async (x: number, y: number) => x + y);
    const mul = app.task('mul', { queue }, async (x: number, y: number) => x * y);
    const sum = app.task('sum', { queue }, async (values: number[], offset: number = 0) =>
      values.reduce((a, b) => a + b, offset),
    );
    const fail = app.task('fail', { queue, maxRetries: 0 }, async (_x: unknown) => {
      throw new PermanentError('step failed on purpose');
    });
    const identity = app.task('identity', { queue }, async (x: unknown) => x);
    await app.worker({ queues: [queue], concurrency }).start();
    return { app, queue, add, mul, sum, fail, identity };
  };

  it('chains steps, prepending each result, and si() ignores it', async () => {
    const { add, mul } = await setup();
    const r = (await chain(add.s(1, 2), mul.s(10), add.si(100, 1), mul.s(2)).delay()) as AsyncResult<number>;
    expect(await r.get({ timeout: '10s' })).toBe(202);
  });

  it('runs a group and returns results in submission order', async () => {
    const { mul } = await setup();
    const g = await group(...Array.from({ length: 20 }, (_, i) => mul.s(i, 3))).delay();
    expect(g).toBeInstanceOf(GroupResult);
    expect(await g.get({ timeout: '10s' })).toEqual(Array.from({ length: 20 }, (_, i) => i * 3));
    expect(await g.completedCount()).toBe(20);
    expect(await g.state()).toBe('SUCCESS');
  });

  it('runs a chord body once with the header results in order', async () => {
    const { add, sum } = await setup();
    const r = await chord([add.s(1, 1), add.s(2, 2), add.s(3, 3)], sum.s(1000)).delay();
    expect(await r.get({ timeout: '10s' })).toBe(1012);
  });

  it('nests a group inside a chain (as a chord) and a chain inside a group', async () => {
    const { add, mul, sum } = await setup();
    const viaChain = await chain(add.s(1, 1), group(mul.s(10), mul.s(100)), sum.s()).delay();
    expect(await (viaChain as AsyncResult).get({ timeout: '10s' })).toBe(220);
    const g = await group(chain(add.s(1, 2), mul.s(2)), add.s(5, 5)).delay();
    expect(await g.get({ timeout: '10s' })).toEqual([6, 10]);
  });

  it('applies per-signature options', async () => {
    const { app, add } = await setup();
    const other = uniqueQueue('other');
    const stamp = app.task('stamp', async (x: number) => x);
    await app.worker({ queues: [other] }).start();
    const started = Date.now();
    const r = (await chain(
      add.s(2, 3),
      stamp.s().set({ queue: other, priority: 9, countdown: '150ms' }),
    ).delay()) as AsyncResult;
    expect(await r.get({ timeout: '10s' })).toBe(5);
    const info = await r.info();
    expect(info.queue).toBe(other);
    expect(info.startedAt! - started).toBeGreaterThanOrEqual(150);
  });

  it('stops a chain at its first failed step; the later steps end FAILURE', async () => {
    const { app, add, fail, mul } = await setup();
    const r = (await chain(add.s(1, 1), fail.s(), mul.s(2)).delay()) as AsyncResult;
    const error = (await r.get({ timeout: '10s' }).catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.remote.name).toBe('ChainError');
    expect(error.remote.message).toContain('fail');
    expect((await app.dlq.list()).some((entry) => entry.name === 'fail')).toBe(true);
  });

  it('fails the chord body with ChordError naming the member, into the DLQ, once', async () => {
    const { app, add, fail, sum, queue } = await setup();
    const r = await chord([add.s(1, 1), fail.s(1), fail.s(2), add.s(2, 2)], sum.s()).delay();
    const error = (await r.get({ timeout: '10s' }).catch((e: unknown) => e)) as TaskFailedError;
    expect(error.remote.name).toBe('ChordError');
    expect(error.remote.message).toMatch(/chord member [12], fail/);
    await waitFor(
      async () => (await app.dlq.stats())[queue] === 3,
      'two failed members and the body in the DLQ',
    );
    const body = await app.dlq.get(r.id);
    expect(body).toMatchObject({ name: 'sum', reason: 'chord member failed' });
    expect(new ChordError('x')).toBeInstanceOf(Error);
  });

  it('runs a chain of 100 steps and a group of 10,000 members', async () => {
    const { add, identity } = await setup(50);
    const long = (await chain(
      add.s(0, 1),
      ...Array.from({ length: 99 }, () => add.s(1)),
    ).delay()) as AsyncResult;
    expect(await long.get({ timeout: '60s' })).toBe(100);
    const wide = await group(...Array.from({ length: 10_000 }, (_, i) => identity.s(i))).delay();
    const values = await wide.get({ timeout: '120s' });
    expect(values).toHaveLength(10_000);
    expect(values[9_999]).toBe(9_999);
  }, 180_000);
});
