import { settle, type ResultSource } from '../app/async-result.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { isFinalState } from '../protocol/task-state.js';
import { toMs, type Duration } from '../protocol/duration.js';
import { abortableSleep } from '../util/abortable-sleep.js';

/** Progress of a long batch. */
export interface BatchProgress {
  completed: number;
  total: number;
}

/** Options for waiting on many items. */
export interface WaitForItemsOptions {
  /** Give up after this long. @defaultValue no limit */
  timeout?: Duration;
  /** Called whenever more items have finished. */
  onProgress?: (progress: BatchProgress) => void;
  /** Abort the wait. */
  signal?: AbortSignal;
}

const MAX_POLL_MS = 200;
const IDS_PER_READ = 1_000;

/**
 * Waits until every id has a final result and returns the values in order; reads only the ids not
 * yet finished, 1,000 per round trip.
 * @throws TaskFailedError / TaskRevokedError of the first item (in order) that did not succeed.
 */
export async function waitForItems<T>(
  ids: readonly string[],
  source: ResultSource,
  options: WaitForItemsOptions = {},
): Promise<T[]> {
  const deadline = options.timeout === undefined ? Infinity : Date.now() + toMs(options.timeout, 'timeout');
  const records = new Array<Parameters<typeof settle>[0] | undefined>(ids.length);
  let open = ids.map((_, index) => index);
  let pause = 5;
  let reported = -1;
  while (open.length > 0) {
    const still: number[] = [];
    for (let start = 0; start < open.length; start += IDS_PER_READ) {
      const chunk = open.slice(start, start + IDS_PER_READ);
      const found = await source.readRecords(chunk.map((index) => ids[index]!));
      chunk.forEach((index, i) => {
        const record = found[i];
        if (record && isFinalState(record.state)) records[index] = record;
        else still.push(index);
      });
    }
    open = still;
    const completed = ids.length - open.length;
    if (completed !== reported) {
      reported = completed;
      options.onProgress?.({ completed, total: ids.length });
    }
    if (open.length === 0) break;
    if (Date.now() > deadline)
      throw new TimeoutError(
        `${completed} of ${ids.length} items finished within ${String(options.timeout)}`,
      );
    if (options.signal?.aborted) throw options.signal.reason;
    await abortableSleep(pause, options.signal);
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  return records.map((record) => settle<T>(record!));
}
