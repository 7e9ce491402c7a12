import { TimeoutError } from '../errors/timeout-error.js';
import { toMs } from '../protocol/duration.js';
import type { ResultRecord } from '../protocol/result-record.js';
import { isFinalState, type TaskState } from '../protocol/task-state.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import { AsyncResult, settle, type GetOptions, type ResultSource } from '../app/async-result.js';

const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 200;

/**
 * The results of a group, in submission order.
 * @example
 * const group = await group(a.s(1), a.s(2)).delay();
 * await group.get({ timeout: '1m' }); // [a(1), a(2)]
 */
export class GroupResult<T = unknown> {
  /** One AsyncResult per member, in submission order. */
  readonly results: AsyncResult<T>[];

  /** @internal */
  constructor(
    readonly ids: readonly string[],
    private readonly source: ResultSource,
  ) {
    this.results = ids.map((id) => new AsyncResult<T>(id, source));
  }

  /**
   * Waits for every member and returns their values in submission order.
   * @throws TaskFailedError / TaskRevokedError of the first member (in order) that did not succeed.
   * @throws TimeoutError when `timeout` passes first.
   */
  async get(options: GetOptions = {}): Promise<T[]> {
    const deadline =
      options.timeout === undefined ? Infinity : Date.now() + toMs(options.timeout, 'get() timeout');
    let pause = FIRST_POLL_MS;
    for (;;) {
      const records = await this.source.readRecords(this.ids);
      if (records.every((record) => record && isFinalState(record.state))) {
        return (records as ResultRecord[]).map((record) => settle<T>(record));
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const done = records.filter((record) => record && isFinalState(record.state)).length;
        throw new TimeoutError(
          `group: ${done} of ${this.ids.length} members finished within ${String(options.timeout)}`,
        );
      }
      await abortableSleep(Math.min(pause, left), options.signal);
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  /** Members that succeeded so far (Celery's `completed_count`). */
  async completedCount(): Promise<number> {
    const records = await this.source.readRecords(this.ids);
    return records.filter((record) => record?.state === 'SUCCESS').length;
  }

  /** FAILURE if a member failed, REVOKED if one was revoked, SUCCESS once all succeeded, else STARTED or PENDING. */
  async state(): Promise<TaskState> {
    const states = (await this.source.readRecords(this.ids)).map((record) => record?.state ?? 'PENDING');
    if (states.includes('FAILURE')) return 'FAILURE';
    if (states.includes('REVOKED')) return 'REVOKED';
    if (states.every((state) => state === 'SUCCESS')) return 'SUCCESS';
    return states.some((state) => state !== 'PENDING') ? 'STARTED' : 'PENDING';
  }
}
