import type { Task } from '../app/task.js';
import { ConfigError } from '../errors/config-error.js';
import { jumpConsistentHash, stableKeyHash64 } from './jump-consistent-hash.js';

/** The most partition queues {@link consistentHashRouter} spreads keys over. */
export const MAX_PARTITION_QUEUES = 65_536;

/** Leaves room for `-65535` under the 200-character limit on queue names. */
const MAX_PREFIX_LENGTH = 190;

/** Options of {@link consistentHashRouter}. */
export interface ConsistentHashRouterOptions {
  /** What to partition by, e.g. `user:${userId}`; calls with the same key always share a queue. */
  partitionKey: string;
  /** How many partition queues there are: an integer from 1 to 65536. */
  numQueues: number;
  /**
   * Queue names are `<prefix>-<n>`. No braces, whitespace or commas (queue names end up in Redis
   * hash tags and in the worker's comma-separated `--queues`).
   * @defaultValue `'partition'`
   */
  prefix?: string;
}

/**
 * Picks the partition queue of a call from its partition key, so that all calls for one key (one
 * user, one tenant, one account) go to the same queue and dedicated workers can own a slice of keys.
 *
 * The choice is Jump Consistent Hash over a SHA-1 of the key: it is the same in every process and
 * run, spreads keys evenly, and when `numQueues` grows from N to N + 1 only about 1/(N + 1) of the
 * keys move — all of them to the new queue. Shrinking moves only the keys of the removed queue.
 * The router decides a name only; it does not create or configure queues.
 *
 * @param task the task being routed; named in error messages, not otherwise used.
 * @returns a queue name `<prefix>-<n>` with `n` in `0 .. numQueues − 1`.
 * @throws ConfigError naming the option when `partitionKey` is not a non-empty string, `numQueues`
 *   is not an integer from 1 to 65536, or `prefix` is not a valid queue-name prefix.
 * @example
 * const queue = consistentHashRouter(myTask, { partitionKey: `user:${userId}`, numQueues: 16 });
 * await myTask.applyAsync([data], { queue });
 * // turbine worker --queues partition-0,partition-1
 * // turbine worker --queues partition-2,partition-3
 */
export function consistentHashRouter<Args extends unknown[], Result>(
  task: Task<Args, Result>,
  options: ConsistentHashRouterOptions,
): string {
  const { partitionKey, numQueues, prefix = 'partition' } = options;
  const fail = (message: string): ConfigError =>
    new ConfigError(`consistentHashRouter(${describeTask(task)}): ${message}`);

  if (typeof partitionKey !== 'string' || partitionKey.length === 0) {
    throw fail(`partitionKey must be a non-empty string, got ${describeValue(partitionKey)}`);
  }
  if (!Number.isInteger(numQueues) || numQueues < 1 || numQueues > MAX_PARTITION_QUEUES) {
    throw fail(
      `numQueues must be an integer from 1 to ${MAX_PARTITION_QUEUES}, got ${describeValue(numQueues)}`,
    );
  }
  if (typeof prefix !== 'string' || !/^[^{}\s,]+$/.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw fail(
      `prefix must be 1–${MAX_PREFIX_LENGTH} characters without braces, whitespace or commas, ` +
        `got ${describeValue(prefix)}`,
    );
  }
  return `${prefix}-${jumpConsistentHash(stableKeyHash64(partitionKey), numQueues)}`;
}

/** The task as an error message names it, without trusting plain-JS callers to pass a Task. */
function describeTask(task: unknown): string {
  const name: unknown = (task as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? `task "${name}"` : `task ${describeValue(task)}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
