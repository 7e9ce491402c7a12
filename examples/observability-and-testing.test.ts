import { describe, expect, it } from 'vitest';
import { brokerTargets } from '../test/conformance/broker-targets.js';
import { uniqueQueue, useBroker } from '../test/conformance/use-broker.js';
import { customMetrics } from './custom-metrics.js';
import { runHealthCheck } from './health-check.js';
import { integrationTest } from './integration-test.js';
import { passReferences } from './pass-references.js';
import { returnTaskId } from './return-task-id.js';
import { structuredLogging } from './structured-logging.js';
import { tenantContext } from './tenant-context.js';
import { unitTestTasks } from './testing-tasks.js';
import { trackResults } from './track-results.js';

describe.each(brokerTargets)('examples: observability, tenancy and testing on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('tenant-context: the tenant travels from the request to currentTask() and info()', async () => {
    const out = await tenantContext(makeApp(), uniqueQueue());
    expect(out).toEqual([
      { seenByTask: { item: 'invoice-1', tenantId: 'acme' }, infoTenantId: 'acme' },
      { seenByTask: { item: 'invoice-2', tenantId: 'globex' }, infoTenantId: 'globex' },
    ]);
  });

  it('structured-logging: one JSON line per event, with the task id', async () => {
    const lines: string[] = [];
    const out = await structuredLogging(makeApp(), (line) => lines.push(line), uniqueQueue());
    expect(out.result).toEqual({ sum: 6, count: 3 });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'task_started', task_id: out.taskId, user_id: 7, data_size: 7 },
      { event: 'task_completed', task_id: out.taskId, user_id: 7, result_size: 19 },
    ]);
  });

  it('custom-metrics: a duration histogram filled from worker events', async () => {
    const text = await customMetrics(makeApp(), [1, 2, 40, 40], uniqueQueue());
    const sample = (series: string) =>
      Number(new RegExp(`^my_task_duration_seconds_${series} (\\S+)$`, 'm').exec(text)?.[1]);
    const label = 'task_name="monitored_task"';
    expect(sample(`count\\{${label}\\}`)).toBe(4);
    expect(sample(`bucket\\{${label},le="\\+Inf"\\}`)).toBe(4);
    expect(sample(`bucket\\{${label},le="0.025"\\}`)).toBeLessThanOrEqual(2); // the 40 ms runs are above
    expect(sample(`sum\\{${label}\\}`)).toBeGreaterThanOrEqual(0.07);
    expect(text).toMatch(/^# TYPE my_task_duration_seconds histogram$/m);
  });

  it('health-check: all green on the monitoring queue, no alert', async () => {
    const alerts: unknown[] = [];
    const probes = { database: async () => true, externalApi: async () => true };
    const out = await runHealthCheck(makeApp(), probes, (...a) => alerts.push(a), uniqueQueue('monitoring'));
    expect(out.checks).toEqual({ database: true, broker: true, external_api: true });
    expect(out.queue).toMatch(/^monitoring-/);
    expect(alerts).toEqual([]);
  });

  it('health-check: a failing probe sends one alert naming it', async () => {
    const alerts: unknown[] = [];
    const probes = {
      database: async (): Promise<boolean> => {
        throw new Error('connection refused');
      },
      externalApi: async () => true,
    };
    const out = await runHealthCheck(makeApp(), probes, (...a) => alerts.push(a), uniqueQueue('monitoring'));
    const checks = { database: false, broker: true, external_api: true };
    expect(out.checks).toEqual(checks);
    expect(alerts).toEqual([['Health check failed', checks]]);
  });

  it('testing-tasks: .func runs the task in-process, with a fake HTTP client injected', async () => {
    const app = makeApp();
    const out = await unitTestTasks(app);
    expect(out).toEqual({ processed: [2, 4, 6], api: { status: 'ok' }, calls: ['http://api.example.com'] });
    expect((await app.queues()).some((q) => q.name === 'default' && q.waiting > 0)).toBe(false);
  });

  it('integration-test: delay + get through a real worker', async () => {
    const out = await integrationTest(makeApp(), uniqueQueue());
    expect(out).toEqual({
      value: [2, 4, 6],
      state: 'SUCCESS',
      api: { status: 'ok', url: 'http://api.example.com' },
    });
  });

  it('track-results: every result is checked and failures are reported with their ids', async () => {
    const out = await trackResults(makeApp(), [1, -2, 3, -4], uniqueQueue());
    expect(out.values).toEqual([10, 30]);
    expect(out.failures).toHaveLength(2);
    expect(out.failures.map((f) => [f.error, f.dlqReason])).toEqual([
      ['item -2 is negative', 'permanent error'],
      ['item -4 is negative', 'permanent error'],
    ]);
    expect(out.failures.every((f) => typeof f.taskId === 'string' && f.taskId.length > 0)).toBe(true);
  });

  it('return-task-id: the endpoint answers with an id at once; the status endpoint reports the result', async () => {
    const out = await returnTaskId(makeApp(), uniqueQueue());
    expect(out.response.status).toBe(202);
    expect(out.firstPoll).toMatchObject({
      id: out.response.body.taskId,
      name: 'heavy_task',
      state: 'PENDING',
    });
    expect(out.finalPoll).toMatchObject({
      id: out.response.body.taskId,
      state: 'SUCCESS',
      attempts: 1,
      result: { rows: 500, ok: true },
    });
  });

  it('pass-references: a path crosses the broker, not 2 MB', async () => {
    const out = await passReferences(makeApp(), 2 * 1024 * 1024, uniqueQueue());
    expect(out.argumentBytes).toBeLessThan(300);
    expect(out.result).toEqual({ bytes: 2 * 1024 * 1024, sha256: out.expectedSha256 });
  });
});
