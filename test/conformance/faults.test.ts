import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

function readLog(path: string): string[][] {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' '))
    : [];
}

describe.each(brokerTargets)('worker process faults on $name', (target) => {
  const { makeApp, handle } = useBroker(target);
  const processes: WorkerProcess[] = [];
  afterEach(async () => {
    for (const proc of processes.splice(0)) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });

  const spawnWorker = async (
    queue: string,
    log: string,
    extra: Record<string, string> = {},
  ): Promise<WorkerProcess> => {
    const proc = await startWorkerProcess({
      FIXTURE_BROKER: handle().url,
      FIXTURE_QUEUE: queue,
      FIXTURE_LOG: log,
      FIXTURE_VISIBILITY_MS: '1000',
      ...extra,
    });
    processes.push(proc);
    return proc;
  };

  it('completes a task once on another worker after its worker is killed with SIGKILL mid-task', async () => {
    const queue = uniqueQueue('kill');
    const log = join(mkdtempSync(join(tmpdir(), 'turbine-fault-')), 'log');
    const app = makeApp({ visibilityTimeout: 1000 });
    const work = app.task('work', { queue }, async (_ms: number) => 0);
    const first = await spawnWorker(queue, log);
    const r = await work.delay(500);
    await waitFor(
      () => readLog(log).some(([event, , pid]) => event === 'start' && pid === String(first.pid)),
      'the first worker to start the task',
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const second = await spawnWorker(queue, log);
    expect(await r.get({ timeout: '15s' })).toBe(second.pid);
    const done = readLog(log).filter(([event]) => event === 'done');
    expect(done).toEqual([['done', r.id, String(second.pid)]]);
    expect((await r.info()).attempts).toBe(1);
  });

  it('SIGTERM with prefetched and running tasks: every task completes exactly once across two workers', async () => {
    const queue = uniqueQueue('term');
    const log = join(mkdtempSync(join(tmpdir(), 'turbine-fault-')), 'log');
    const app = makeApp();
    const work = app.task('work', { queue }, async (_ms: number) => 0);
    const settings = { FIXTURE_CONCURRENCY: '2', FIXTURE_PREFETCH: '6' };
    const leaving = await spawnWorker(queue, log, settings);
    const results = await work.delayMany(Array.from({ length: 24 }, () => [150] as [number]));
    await waitFor(() => readLog(log).some(([event]) => event === 'start'), 'the first worker to start tasks');
    // Stopped while it runs two tasks and holds six more: those go back for the next worker.
    leaving.child.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    const staying = await spawnWorker(queue, log, settings);
    const pids = await Promise.all(results.map((r) => r.get({ timeout: '20s' })));
    expect(new Set(pids)).toEqual(new Set([leaving.pid, staying.pid]));
    const lines = readLog(log);
    for (const r of results) {
      expect(lines.filter(([event, id]) => event === 'done' && id === r.id)).toHaveLength(1);
      expect(lines.filter(([event, id]) => event === 'start' && id === r.id)).toHaveLength(1);
    }
  });
});
