import { describe, expect, it } from 'vitest';
import { brokerTargets } from '../test/conformance/broker-targets.js';
import { uniqueQueue, useBroker } from '../test/conformance/use-broker.js';
import { etlPipeline } from './etl-pipeline.js';
import { fanOutFanIn } from './fan-out-fan-in.js';
import { connectionPerTask } from './per-task-connections.js';
import { softTimeout } from './soft-timeouts.js';
import { timeouts } from './timeouts.js';

describe.each(brokerTargets)('examples: reliability and workflows on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('timeouts: the task’s own I/O limit fires first; a stuck task is killed with TaskTimeoutError', async () => {
    const out = await timeouts(makeApp(), uniqueQueue());
    expect(out.fast).toEqual({ status: 200 });
    expect(out.slow).toMatchObject({ name: 'Error', message: 'upstream did not answer within 250 ms' });
    expect(out.stuck).toMatchObject({ name: 'TaskTimeoutError' });
  });

  it('soft-timeouts: the signal aborts with SoftTimeLimitExceeded, the task saves state and stops', async () => {
    const out = await softTimeout(makeApp(), uniqueQueue());
    expect(out.state).toBe('SUCCESS');
    expect(out.result).toMatchObject({ stoppedEarly: true, reason: 'SoftTimeLimitExceeded' });
    expect(out.result.processed).toBeGreaterThan(0);
    expect(out.result.processed).toBeLessThan(100);
    expect(out.checkpoints).toHaveLength(1);
    expect(out.checkpoints[0]!.processed + out.checkpoints[0]!.remaining.length).toBe(100);
    expect(out.checkpoints[0]!.remaining[0]).toBe(out.result.processed);
  });

  it('per-task-connections: one fresh connection per task, always closed', async () => {
    const out = await connectionPerTask(makeApp(), uniqueQueue());
    expect(out.outcomes.slice(0, 4).map((row) => (row as { sql: string }).sql)).toEqual([
      'SELECT 1',
      'SELECT 2',
      'SELECT 3',
      'SELECT 4',
    ]);
    const connections = out.outcomes.slice(0, 4).map((row) => (row as { connection: number }).connection);
    expect(new Set(connections).size).toBe(4);
    expect(out.outcomes[4]).toMatch(/syntax error in "SELECT bogus"/);
    expect(out.opened).toBe(5);
    expect(out.closed).toBe(5);
  });

  it('etl-pipeline: extract → transform → load as a chain', async () => {
    const out = await etlPipeline(makeApp(), uniqueQueue());
    expect(out.loaded).toBe(2);
    expect(out.warehouse).toEqual([
      { name: 'ada', cents: 1000 },
      { name: 'linus', cents: 2500 },
    ]);
  });

  it('fan-out-fan-in: a chord processes chunks in parallel and aggregates once, in order', async () => {
    const data = Array.from({ length: 100 }, (_, i) => i + 1);
    const out = await fanOutFanIn(makeApp(), data, uniqueQueue());
    const parts = [0, 1, 2, 3].map((c) => data.slice(c * 25, c * 25 + 25).reduce((s, x) => s + x * x, 0));
    expect(out).toEqual({ parts, total: 338_350 });
  });
});
