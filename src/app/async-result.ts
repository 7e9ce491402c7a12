import { deserializeError } from '../errors/serialize-error.js';
import { TaskFailedError } from '../errors/task-failed-error.js';
import { TaskRevokedError } from '../errors/task-revoked-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { toMs, type Duration } from '../protocol/duration.js';
import { isFinalState, type TaskState } from '../protocol/task-state.js';
import type { ResultRecord } from '../protocol/result-record.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import type { TaskInfo } from './task-info.js';

/** What an {@link AsyncResult} needs from the app that made it. */
export interface ResultSource {
  readRecord(id: string): Promise<ResultRecord | undefined>;
  /** Many records in one round trip, in the order of `ids`. */
  readRecords(ids: readonly string[]): Promise<(ResultRecord | undefined)[]>;
  taskInfo(id: string, queueHint?: string): Promise<TaskInfo>;
  revoke(id: string, queueHint?: string): Promise<void>;
}

/** Options of {@link AsyncResult.get}. */
export interface GetOptions {
  /** Give up with `TimeoutError` after this long. @defaultValue wait without limit */
  timeout?: Duration;
  /** Abort the wait. */
  signal?: AbortSignal;
}

const FIRST_POLL_MS = 1;
const MAX_POLL_MS = 100;

/**
 * A handle on a submitted task.
 * @example
 * const r = await add.delay(1, 2);
 * await r.get({ timeout: '10s' }); // 3
 */
export class AsyncResult<T = unknown> {
  /** @internal */
  constructor(
    readonly id: string,
    private readonly source: ResultSource,
    /** @internal The queue it was sent to, when known: makes state lookups direct. */
    readonly queueHint?: string,
  ) {}

  /**
   * Waits for the task to end and returns its value.
   * @throws TaskFailedError carrying the remote error's name, message and stack.
   * @throws TaskRevokedError when it was revoked or expired.
   * @throws TimeoutError when `timeout` passes first.
   */
  async get(options: GetOptions = {}): Promise<T> {
    const deadline =
      options.timeout === undefined ? Infinity : Date.now() + toMs(options.timeout, 'get() timeout');
    let pause = FIRST_POLL_MS;
    for (;;) {
      const record = await this.source.readRecord(this.id);
      if (record && isFinalState(record.state)) return settle<T>(record);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new TimeoutError(`task ${this.id} did not finish within ${String(options.timeout)}`);
      if (options.signal?.aborted) throw options.signal.reason;
      await abortableSleep(Math.min(pause, left), options.signal);
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  /** The current state. */
  async state(): Promise<TaskState> {
    return (await this.info()).state;
  }

  /** Everything known about the task. */
  info(): Promise<TaskInfo> {
    return this.source.taskInfo(this.id, this.queueHint);
  }

  /** Revokes the task: it never runs if it has not started; if it is running its `signal` aborts. */
  revoke(): Promise<void> {
    return this.source.revoke(this.id, this.queueHint);
  }

  toString(): string {
    return `AsyncResult(${this.id})`;
  }
}

/** @internal Turns a final record into the value, or the error `get()` throws. */
export function settle<T>(record: ResultRecord): T {
  if (record.state === 'SUCCESS') return record.result as T;
  if (record.state === 'REVOKED') throw new TaskRevokedError(record.id, record.reason ?? 'revoked');
  const remote = record.error ?? { name: 'Error', message: 'unknown failure' };
  // The remote error comes back as `cause`, rebuilt as its own class when it is one of Turbine's.
  throw new TaskFailedError(record.id, remote, { cause: deserializeError(remote) });
}
