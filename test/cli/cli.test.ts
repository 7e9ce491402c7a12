// The `turbine` CLI end to end: real child processes against a private redis-server.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TaskFailedError, Turbine, type AsyncResult, type Task } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { killAllCli, ROOT, runCli, spawnCli, type CliExit, type CliRun } from './run-cli.js';

let redis: RedisServer;
let app: Turbine;
let add: Task<[number, number], number>;
let reject: Task<[string], never>;
let queueCounter = 0;

const queueName = (prefix: string): string => `cli-${prefix}-${process.pid}-${++queueCounter}`;
const broker = (): string[] => ['--broker', redis.url];
const json = <T>(run: CliRun): T => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
};

/** A failure: exit 1, nothing on stdout, exactly one `turbine: …` line on stderr naming `culprit`. */
function expectOneLineError(run: CliRun, culprit: string): void {
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^turbine: /);
  expect(lines[0]).toContain(culprit);
  expect(run.code).toBe(1);
}

beforeAll(async () => {
  redis = await startRedisServer();
  app = new Turbine({ broker: redis.url });
  // Same names as test/fixtures/cli-tasks.ts: this app only submits, the CLI worker runs them.
  add = app.task('cli.add', async (x: number, y: number) => x + y);
  reject = app.task('cli.reject', async (_why: string): Promise<never> => {
    throw new Error('runs in the worker process only');
  });
});

afterEach(killAllCli);

afterAll(async () => {
  await killAllCli();
  await app?.close();
  await redis?.stop();
});

describe('help and version', () => {
  it('turbine --help exits 0 and lists every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Usage: turbine');
    for (const verb of ['worker', 'queues', 'status', 'purge', 'dlq']) expect(run.stdout).toContain(verb);
  });

  it('subcommand --help exits 0 and shows its options', async () => {
    const [list, status, worker] = await Promise.all([
      runCli(['dlq', 'list', '--help']),
      runCli(['status', '--help']),
      runCli(['worker', '--help']),
    ]);
    for (const run of [list, status, worker]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      for (const flag of ['--broker', '--config', '--app', '--json']) expect(run.stdout).toContain(flag);
    }
    expect(list.stdout).toContain('--limit');
    expect(status.stdout).toContain('PENDING');
    expect(worker.stdout).toContain('--concurrency');
  });

  it('--version prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });
});

describe('queues, status, purge', () => {
  it('queues counts waiting and delayed messages per queue, as a table and as JSON', async () => {
    const queue = queueName('queues');
    await add.applyAsync([1, 2], { queue });
    await add.applyAsync([3, 4], { queue });
    await add.applyAsync([5, 6], { queue, countdown: '1h' });
    const [table, machine] = await Promise.all([
      runCli(['queues', ...broker()]),
      runCli(['queues', ...broker(), '--json']),
    ]);
    expect(json<unknown[]>(machine)).toContainEqual({
      name: queue,
      waiting: 2,
      delayed: 1,
      active: 0,
      dlq: 0,
    });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+WAITING\s+DELAYED\s+ACTIVE\s+DLQ$/);
    expect(lines.find((line) => line.startsWith(queue))?.split(/\s+/)).toEqual([queue, '2', '1', '0', '0']);
  });

  it('status --json prints the fields of a submitted task with ISO times', async () => {
    const queue = queueName('status');
    const r = await add.applyAsync([1, 2], { queue });
    const info = json<Record<string, unknown>>(await runCli(['status', r.id, ...broker(), '--json']));
    expect(info).toMatchObject({ id: r.id, state: 'PENDING', name: 'cli.add', queue, attempts: 0 });
    expect(new Date(info.createdAt as string).toISOString()).toBe(info.createdAt);
  });

  it('status of an id nothing is known about prints PENDING', async () => {
    const [text, machine] = await Promise.all([
      runCli(['status', 'no-such-task', ...broker()]),
      runCli(['status', 'no-such-task', ...broker(), '--json']),
    ]);
    expect(json(machine)).toMatchObject({ id: 'no-such-task', state: 'PENDING', createdAt: null });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^state\s+PENDING$/m);
  });

  it('purge refuses without --force and leaves the queue as it was', async () => {
    const queue = queueName('purge');
    await add.applyAsync([1, 2], { queue });
    expectOneLineError(await runCli(['purge', queue, ...broker()]), '--force');
    expect((await app.queues()).find((q) => q.name === queue)?.waiting).toBe(1);
  });

  it('purge --force removes waiting and delayed messages and says how many', async () => {
    const [first, second] = [queueName('purge'), queueName('purge')];
    await add.delayMany(
      [
        [1, 2],
        [3, 4],
      ],
      { queue: first },
    );
    await add.applyAsync([5, 6], { queue: first, countdown: '1h' });
    await add.applyAsync([7, 8], { queue: second });
    const text = await runCli(['purge', first, '--force', ...broker()]);
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toBe(`purged 3 messages from queue ${first}`);
    expect(json(await runCli(['purge', second, '--force', '--json', ...broker()]))).toEqual({
      queue: second,
      removed: 1,
    });
    const stats = await app.queues();
    for (const name of [first, second])
      expect(stats.find((q) => q.name === name)).toMatchObject({ waiting: 0, delayed: 0 });
  });
});

// One worker run feeds the DLQ tests: it fails three tasks for good, each test below uses its own
// entry (a, b or c), so they hold in any order.
describe('turbine worker and the DLQ', () => {
  let workerExit: CliExit;
  let workerOut: { stdout: string; stderr: string };
  let sum: AsyncResult<number>;
  let failed: { a: string; b: string; c: string };

  beforeAll(async () => {
    const worker = spawnCli([
      'worker',
      '--app',
      'test/fixtures/cli-tasks.ts',
      ...broker(),
      '--queues',
      'default',
      '--concurrency',
      '2',
    ]);
    await worker.waitForOutput(({ stdout }) => stdout.includes('consuming'), 'the worker start line');
    sum = await add.delay(2, 3);
    expect(await sum.get({ timeout: '10s' })).toBe(5);
    const results = await reject.delayMany([['a'], ['b'], ['c']]);
    for (const r of results) await expect(r.get({ timeout: '10s' })).rejects.toBeInstanceOf(TaskFailedError);
    const [a, b, c] = results.map((r) => r.id) as [string, string, string];
    failed = { a, b, c };
    await worker.waitForOutput(
      ({ stderr }) => [a, b, c].every((id) => stderr.includes(id)),
      'a task:failed line for each rejected task',
    );
    worker.child.kill('SIGTERM');
    workerExit = await worker.exited;
    workerOut = { stdout: worker.stdout(), stderr: worker.stderr() };
  });

  it('worker prints its start line, logs task events on stderr and exits 0 on SIGTERM', () => {
    expect(workerExit).toEqual({ code: 0, signal: null });
    expect(workerOut.stdout).toMatch(
      /^turbine worker \S+ consuming default \(concurrency 2\) on redis \(redis:\/\/127\.0\.0\.1:\d+\)\n$/,
    );
    expect(workerOut.stderr).toContain(`task:succeeded cli.add ${sum.id}`);
    expect(workerOut.stderr).toMatch(
      new RegExp(`task:failed cli.reject ${failed.a} .*permanent error.*PermanentError: rejected: a`),
    );
  });

  it('dlq stats counts the entries per queue', async () => {
    const [machine, text] = await Promise.all([
      runCli(['dlq', 'stats', '--json', ...broker()]),
      runCli(['dlq', 'stats', ...broker()]),
    ]);
    const stats = json<{ total: number; queues: Record<string, number> }>(machine);
    expect(stats.queues.default).toBeGreaterThanOrEqual(1);
    expect(stats.total).toBe(Object.values(stats.queues).reduce((x, y) => x + y, 0));
    expect(text.stdout).toMatch(/^QUEUE\s+ENTRIES$/m);
    expect(text.stdout).toMatch(/^default\s+\d+$/m);
  });

  it('dlq list prints a table and JSON, honouring --queue, --limit and --offset', async () => {
    const [machine, text, limited, other] = await Promise.all([
      runCli(['dlq', 'list', '--json', '--queue', 'default', ...broker()]),
      runCli(['dlq', 'list', ...broker()]),
      runCli(['dlq', 'list', '--json', '--limit', '1', '--offset', '1', ...broker()]),
      runCli(['dlq', 'list', '--json', '--queue', 'elsewhere', ...broker()]),
    ]);
    const entries = json<Array<Record<string, unknown>>>(machine);
    const entry = entries.find((e) => e.id === failed.a);
    expect(entry).toMatchObject({
      name: 'cli.reject',
      queue: 'default',
      reason: 'permanent error',
      attempts: 1,
      args: ['a'],
    });
    expect(entry?.error).toMatchObject({ name: 'PermanentError', message: 'rejected: a' });
    expect(json<unknown[]>(limited)).toHaveLength(1);
    expect(json(other)).toEqual([]);
    expect(text.stdout).toMatch(/^ID\s+NAME\s+QUEUE\s+REASON\s+ATTEMPTS\s+FAILEDAT\s+ERROR$/m);
    expect(text.stdout).toMatch(
      new RegExp(
        `^${failed.a}\\s+cli\\.reject\\s+default\\s+permanent error\\s+1\\s+\\S+Z\\s+PermanentError: rejected: a$`,
        'm',
      ),
    );
  });

  it('dlq inspect prints one entry in full and exits 1 for an unknown id', async () => {
    const [machine, text, missing] = await Promise.all([
      runCli(['dlq', 'inspect', failed.b, '--json', ...broker()]),
      runCli(['dlq', 'inspect', failed.b, ...broker()]),
      runCli(['dlq', 'inspect', 'no-such-entry', ...broker()]),
    ]);
    const entry = json<Record<string, unknown>>(machine);
    expect(entry).toMatchObject({ id: failed.b, args: ['b'], reason: 'permanent error' });
    expect((entry.error as { stack: string }).stack).toContain('cli-tasks.ts');
    expect(text.stdout).toMatch(/^error\s+PermanentError: rejected: b$/m);
    expect(text.stdout).toMatch(/^args\s+\["b"\]$/m);
    expectOneLineError(missing, 'no-such-entry');
  });

  it('dlq replay puts the task back on its queue under the same id', async () => {
    const replayed = json(await runCli(['dlq', 'replay', failed.a, '--json', ...broker()]));
    expect(replayed).toEqual({ id: failed.a, queue: 'default', state: 'PENDING' });
    expect(await app.dlq.get(failed.a)).toBeUndefined();
    expectOneLineError(await runCli(['dlq', 'replay', failed.a, ...broker()]), failed.a);
  });

  it('dlq remove deletes one entry and exits 1 when it is gone', async () => {
    const removed = await runCli(['dlq', 'remove', failed.b, ...broker()]);
    expect(removed.code).toBe(0);
    expect(removed.stdout.trim()).toBe(`removed DLQ entry ${failed.b}`);
    expect(await app.dlq.get(failed.b)).toBeUndefined();
    expectOneLineError(await runCli(['dlq', 'remove', failed.b, ...broker()]), failed.b);
  });

  it('dlq clear refuses without --force, then removes the entries of a queue', async () => {
    expectOneLineError(await runCli(['dlq', 'clear', '--queue', 'default', ...broker()]), '--force');
    expect(await app.dlq.get(failed.c)).toBeDefined();
    const cleared = json<{ queue: string; removed: number }>(
      await runCli(['dlq', 'clear', '--queue', 'default', '--force', '--json', ...broker()]),
    );
    expect(cleared.queue).toBe('default');
    expect(cleared.removed).toBeGreaterThanOrEqual(1);
    expect((await app.dlq.stats()).default ?? 0).toBe(0);
  });
});

describe('app modules', () => {
  it('admin commands use the app of --app, also one that tsx compiles to CommonJS', async () => {
    const queue = queueName('cjs');
    await add.applyAsync([1, 2], { queue });
    const stats = json<unknown[]>(
      await runCli(['queues', '--app', 'test/fixtures/cli-cjs-tasks.cts', '--json', ...broker()]),
    );
    expect(stats).toContainEqual({ name: queue, waiting: 1, delayed: 0, active: 0, dlq: 0 });
  });
});

describe('bad input: one line on stderr naming the culprit, exit 1', () => {
  it('an unknown command', async () => {
    expectOneLineError(await runCli(['frobnicate']), 'frobnicate');
  });

  it('a non-integer --concurrency', async () => {
    expectOneLineError(
      await runCli(['worker', '--app', 'test/fixtures/cli-tasks.ts', '--concurrency', 'abc']),
      "'--concurrency <n>' argument 'abc'",
    );
  });

  it('an unreachable broker, within a few seconds', async () => {
    const run = await runCli(['status', 'some-id', '--broker', 'redis://127.0.0.1:1']);
    expectOneLineError(run, 'cannot reach broker redis://127.0.0.1:1');
    expect(run.ms).toBeLessThan(8_000);
  });

  it('a missing subcommand', async () => {
    expectOneLineError(await runCli(['dlq']), 'turbine dlq --help');
  });

  it('a --config file that does not exist', async () => {
    expectOneLineError(
      await runCli(['queues', '--config', 'no-such-turbine.toml', ...broker()]),
      'no-such-turbine.toml',
    );
  });

  it('an app module that exports no Turbine app', async () => {
    expectOneLineError(
      await runCli(['worker', '--app', 'test/fixtures/cli-not-an-app.ts', ...broker()]),
      'cli-not-an-app.ts exports no Turbine app',
    );
  });
});
