import type { Task } from '../app/task.js';
import { BatchProcessor, type BatchProcessorOptions } from './batch-processor.js';
import type { WaitForItemsOptions } from './wait-for-items.js';

/** Options of {@link batchMap}. */
export interface BatchMapOptions extends Omit<BatchProcessorOptions, 'chunkSize'>, WaitForItemsOptions {
  /** Items per message. @defaultValue 100 */
  batchSize?: number;
}

/**
 * Runs a one-argument task over `items` in batches and returns the results in order — the seed's
 * answer to a chain of 100 steps.
 * @example
 * const results = await batchMap(processItem, range(100), { batchSize: 20 });
 */
export function batchMap<Item, Result>(
  task: Task<[Item], Result>,
  items: Iterable<Item>,
  options: BatchMapOptions = {},
): Promise<Result[]> {
  const { batchSize, timeout, onProgress, ...callOptions } = options;
  const processor = new BatchProcessor<[Item], Result>(task, { ...callOptions, chunkSize: batchSize ?? 100 });
  const wait: WaitForItemsOptions = {};
  if (timeout !== undefined) wait.timeout = timeout;
  if (onProgress !== undefined) wait.onProgress = onProgress;
  return processor.map(
    Array.from(items, (item): [Item] => [item]),
    wait,
  );
}
