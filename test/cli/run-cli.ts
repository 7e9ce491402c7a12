// Runs the CLI as a real child process (node --import tsx test/fixtures/cli-entry.ts …), from the
// repository root, with no TURBINE_* variables inherited from the shell running the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait-for.js';

/** The repository root, the working directory of every CLI run. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../fixtures/cli-entry.ts', import.meta.url));
/** Longest a single CLI run may take before the test fails (and the process is killed). */
const RUN_LIMIT_MS = 20_000;

/** How a CLI process ended. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A finished CLI run. */
export interface CliRun extends CliExit {
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** A CLI process still running (the worker). */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<CliExit>;
  /** Resolves once `predicate` holds for the output so far; fails after `timeoutMs` or if the process exits first. */
  waitForOutput(
    predicate: (out: { stdout: string; stderr: string }) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<void>;
}

const live = new Set<ChildProcess>();

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TURBINE_') && name !== 'NO_COLOR') env[name] = value;
  }
  return env;
}

/** Starts `turbine <args>` and returns at once. */
export function spawnCli(args: string[]): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ended = false;
  const exited = new Promise<CliExit>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput: async (predicate, what, timeoutMs = 15_000) => {
      await waitFor(
        () => {
          if (predicate({ stdout, stderr })) return true;
          if (ended) throw new Error(`turbine exited before ${what}:\n${stdout}\n${stderr}`);
          return false;
        },
        what,
        timeoutMs,
        10,
      );
    },
  };
}

/** Runs `turbine <args>` to completion. */
export async function runCli(args: string[]): Promise<CliRun> {
  const started = Date.now();
  const proc = spawnCli(args);
  const limit = setTimeout(() => proc.child.kill('SIGKILL'), RUN_LIMIT_MS);
  const exit = await proc.exited;
  clearTimeout(limit);
  if (exit.signal === 'SIGKILL') throw new Error(`turbine ${args.join(' ')} ran over ${RUN_LIMIT_MS} ms`);
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr(), ms: Date.now() - started };
}

/** Leak guard: kills every CLI process still running and waits for it to be gone. */
export async function killAllCli(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      const gone = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGKILL');
      await gone;
    }),
  );
}
