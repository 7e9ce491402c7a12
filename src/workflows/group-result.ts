import type { TaskState } from '../protocol/task-state.js';
import { AsyncResult, type GetOptions, type ResultSource } from '../app/async-result.js';
import { waitForItems } from '../batches/wait-for-items.js';

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
  get(options: GetOptions = {}): Promise<T[]> {
    return waitForItems<T>(this.ids, this.source, options);
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
