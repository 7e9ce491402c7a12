import type { Task } from '../app/task.js';
import { TurbineError } from '../errors/turbine-error.js';
import { batchMessage, type BatchCallOptions } from './batch-message.js';
import { waitForItems, type WaitForItemsOptions } from './wait-for-items.js';

/** Options of {@link BatchProcessor}. */
export interface BatchProcessorOptions extends BatchCallOptions {
  /** Items per message. @defaultValue 100 */
  chunkSize?: number;
}

/**
 * Runs a task over many argument lists in chunks: each chunk is one message (one broker write),
 * and `map` returns the results in input order.
 * @example
 * const processor = new BatchProcessor(sendEmail, { chunkSize: 100 });
 * const results = await processor.map(users.map((u) => [u.email, 'Newsletter', body]));
 */
export class BatchProcessor<Args extends unknown[], Result> {
  private readonly chunkSize: number;

  constructor(
    private readonly task: Task<Args, Result>,
    private readonly options: BatchProcessorOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 100;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) {
      throw new TurbineError(
        `BatchProcessor(${task.name}): chunkSize must be a positive integer, got ${String(options.chunkSize)}`,
      );
    }
  }

  /**
   * Submits every chunk (all in one broker round trip) and waits for every item.
   * @throws TaskFailedError of the first item, in input order, that failed for good.
   */
  async map(argsList: readonly Args[], wait: WaitForItemsOptions = {}): Promise<Result[]> {
    const { chunkSize: _size, ...callOptions } = this.options;
    const task = this.task as unknown as Task<never[], Result>;
    const now = Date.now();
    const chunks = [];
    for (let start = 0; start < argsList.length; start += this.chunkSize) {
      chunks.push(batchMessage(task, argsList.slice(start, start + this.chunkSize), callOptions, now));
    }
    if (chunks.length === 0) return [];
    await task.submitter.submit(chunks.map((chunk) => chunk.message));
    return waitForItems<Result>(
      chunks.flatMap((chunk) => chunk.itemIds),
      task.submitter.results,
      wait,
    );
  }
}
