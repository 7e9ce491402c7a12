// `turbine demo` end to end: the real CLI as a child process, on the embedded SQLite broker in a
// fresh working directory and on a private redis-server.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { tempDir } from '../sqlite/sqlite-test-kit.js';
import { killAllCli, runCli, spawnCli, type CliExit, type CliRun } from './run-cli.js';

/** The summary `turbine demo --json` prints, as far as these tests read it. */
interface DemoJson {
  ok: boolean;
  problems: string[];
  tasks: { planned: number; finished: number };
  states: Record<string, number>;
  retries: number;
  tasksPerSecond: number;
  dlq: Array<{ id: string; name: string; queue: string; reason: string; error: string }>;
  etl: unknown;
  chord: unknown;
  patterns: { priority: { expressStartPositions: number[] } };
  inspect: string[];
}

const ENTRY = fileURLToPath(new URL('../fixtures/cli-entry.ts', import.meta.url));
// By path: `--import tsx` would be resolved from the working directory, a temp dir without node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The demo plans about 5 s of work; give it room on a loaded machine, well under its own 60 s deadline. */
const DEMO_LIMIT_MS = 25_000;

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterEach(killAllCli);

afterAll(async () => {
  await killAllCli();
  await redis?.stop();
});

/**
 * Runs `turbine <args>` in `cwd` to completion. run-cli.ts always runs in the repository root,
 * where the embedded broker's default file would land in the checkout; this runs elsewhere.
 */
async function runCliIn(cwd: string, args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TURBINE_') && name !== 'NO_COLOR') env[name] = value;
  }
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), DEMO_LIMIT_MS);
  const exit = await new Promise<CliExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  clearTimeout(limit);
  if (exit.signal === 'SIGKILL') throw new Error(`turbine ${args.join(' ')} ran over ${DEMO_LIMIT_MS} ms`);
  return { ...exit, stdout, stderr, ms: Date.now() - started };
}

/** `promise`, or a rejection naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the direct children of `pid`. */
function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } catch {
    return []; // ps exits 1 when nothing matches
  }
}

describe('turbine demo', () => {
  it('runs on the embedded SQLite broker of the working directory with nothing configured', async () => {
    const { dir } = tempDir();
    const run = await runCliIn(dir, ['demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, '.turbine', 'turbine.db'))).toBe(true);
    expect(run.stdout).toContain('Turbine demo on embedded SQLite (.turbine/turbine.db)');
    expect(run.stdout).toMatch(/^SUCCESS\s+\d+\s/m);
    expect(run.stdout).toMatch(/^FAILURE\s+1\s/m);
    expect(run.stdout).toMatch(/demo\.api_call\s+permanent error\s+1\s+PermanentError: .*404/);
    expect(run.stdout).toMatch(/^ETL result\s+.*"loaded":5/m);
    expect(run.stdout).toMatch(/^chord result\s+.*"total":338350/m);
    expect(run.stdout).toMatch(/^ {2}turbine dlq inspect [\w-]+$/m);
    // Not a terminal: plain progress lines on stderr, one per quarter, ending at 100 %.
    const progress = run.stderr.split('\n').filter((line) => line.startsWith('progress'));
    expect(progress.map((line) => line.split(/\s+/)[1])).toEqual(['25%', '50%', '75%', '100%']);
    expect(run.stderr).not.toContain('\r');
  });

  it('runs on Redis with --broker and prints one JSON summary with --json', async () => {
    const run = await runCli(['demo', '--broker', redis.url, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as DemoJson;
    expect(summary.ok).toBe(true);
    expect(summary.problems).toEqual([]);
    expect(summary.tasks.finished).toBe(summary.tasks.planned);
    expect(summary.states).toEqual({ SUCCESS: summary.tasks.planned - 1, FAILURE: 1 });
    expect(summary.retries).toBe(4); // two flaky calls, two TransientErrors each
    expect(summary.tasksPerSecond).toBeGreaterThan(0);
    expect(summary.etl).toEqual({ table: 'customers', loaded: 5, skipped: 1 });
    expect(summary.chord).toEqual({ chunks: 10, total: 338350 });
    expect(summary.patterns.priority.expressStartPositions).toHaveLength(5);
    expect(summary.dlq).toHaveLength(1);
    const [entry] = summary.dlq;
    expect(entry).toMatchObject({ name: 'demo.api_call', queue: 'demo.io', reason: 'permanent error' });
    expect(summary.inspect).toContain(`turbine dlq inspect ${entry!.id} --broker ${redis.url}`);

    // The commands the summary suggests find what the run left.
    const inspected = await runCli(['dlq', 'inspect', entry!.id, '--json', '--broker', redis.url]);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ id: entry!.id, args: ['/users/404'] });
  });

  it('on SIGINT stops its workers gracefully, closes the app and exits 130, leaving no process', async () => {
    const demo = spawnCli(['demo', '--broker', redis.url]);
    await demo.waitForOutput(({ stderr }) => stderr.includes('progress  25%'), 'the first progress line');
    const pid = demo.child.pid!;
    expect(childrenOf(pid)).toEqual([]); // the workers run in-process
    demo.child.kill('SIGINT');
    const exit = await within(demo.exited, 10_000, 'the demo to exit after SIGINT');
    expect(exit).toEqual({ code: 130, signal: null });
    expect(demo.stderr()).toContain('interrupted; stopping the workers gracefully');
    expect(demo.stdout()).toBe('');
    expect(alive(pid)).toBe(false);
    // Graceful: nothing stays leased by the stopped workers.
    const queues = JSON.parse((await runCli(['queues', '--json', '--broker', redis.url])).stdout) as Array<{
      name: string;
      active: number;
    }>;
    for (const queue of queues.filter((q) => q.name.startsWith('demo.'))) expect(queue.active).toBe(0);
  });

  it('fails with one line when the broker cannot be reached', async () => {
    const run = await runCli(['demo', '--broker', 'redis://127.0.0.1:1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^turbine: cannot reach broker redis:\/\/127\.0\.0\.1:1/),
    ]);
  });

  it('--help describes the command and its flags', async () => {
    const run = await runCli(['demo', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--broker', '--config', '--json']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('.turbine/turbine.db');
  });
});
