/** The orchestrator's side of a forked benchmark process (bench/child.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectories } from '../src/util/make-directories.js';
import { CHILD_BUNDLE } from './child-bundle.js';
import type { ChildMessage, ChildSpec, ParentMessage } from './protocol.js';

/** Every live child, so an interrupted run can kill them instead of leaving workers behind. */
const live = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const proc of live) proc.kill('SIGKILL');
}

export type MessageOf<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

/** A forked child whose messages can be awaited by type, each wait with its own deadline. */
export class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly spec: ChildSpec,
    private readonly label: string,
  ) {
    const stdout = childStdout(label);
    // bench/child.ts compiled by bundleChild() (main.ts, at start): bare Node, no loader.
    this.proc = fork(CHILD_BUNDLE, [JSON.stringify(spec)], {
      // --expose-gc lets memory samples collect garbage first. BENCH_CHILD_FLAGS adds Node's or V8's
      // flags for a probe (`--trace-gc-nvp`, `--trace-opt`), which NODE_OPTIONS does not all allow.
      execArgv: ['--expose-gc', ...childFlags()],
      stdio: ['ignore', stdout, 'inherit', 'ipc'],
    });
    if (typeof stdout === 'number') closeSync(stdout); // the child holds its own copy
    live.add(this.proc);
    this.proc.on('message', (message: ChildMessage) => {
      if (message.type === 'error') this.fail(new Error(`${label}: ${message.message}`));
      else this.inbox.push(message);
      this.wake?.();
    });
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        live.delete(this.proc);
        if (code !== 0) this.fail(new Error(`${label} exited with ${signal ?? `code ${code}`}`));
        this.wake?.();
        resolve(code);
      });
    });
  }

  private fail(error: Error): void {
    // The first failure is the cause; an exit code that follows it adds nothing.
    this.failure ??= error;
  }

  /** Calls `listener` for every message of `type`, as it arrives (not queued for {@link next}). */
  onMessage<T extends ChildMessage['type']>(type: T, listener: (message: MessageOf<T>) => void): void {
    this.proc.on('message', (message: ChildMessage) => {
      if (message.type === type) listener(message as MessageOf<T>);
    });
  }

  send(message: ParentMessage): void {
    this.proc.send(message);
  }

  /** The next queued message of `type`; rejects if the child fails, exits or misses the deadline. */
  async next<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as MessageOf<T>;
      if (this.failure) throw this.failure;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`${this.label} exited before sending '${type}'`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        this.kill();
        throw new Error(`${this.label}: no '${type}' within ${Math.round(timeoutMs / 1000)} s`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Waits for a clean exit; a child that lingers after its last message counts as a failure. */
  async exit(timeoutMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.kill();
      throw new Error(`${this.label} did not exit within ${timeoutMs / 1000} s of finishing`);
    }
    if (this.failure) throw this.failure;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/**
 * A child's stdout: the parent's, or with BENCH_CHILD_LOGS set, a file of that folder named after
 * the child (`turbine-worker.log`, appended to), so one process's traces can be read apart.
 */
function childStdout(label: string): 'inherit' | number {
  const folder = process.env.BENCH_CHILD_LOGS;
  if (!folder) return 'inherit';
  makeDirectories(folder);
  return openSync(join(folder, `${label.replace(/[^\w.-]+/g, '-')}.log`), 'a');
}

/** The extra flags in BENCH_CHILD_FLAGS, separated by spaces. */
function childFlags(): string[] {
  return (process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
}
