import { availableParallelism } from 'node:os';

// Durations are kept in milliseconds here: these values feed resolved options directly, and
// internal durations carry their unit in their name.

/** Name of the config file looked up in the working directory when none is named. */
export const DEFAULT_CONFIG_FILE = 'turbine.toml';

/** Messages a worker fetches ahead of its free slots, so a slot never waits on a round trip. */
export const DEFAULT_PREFETCH = 20;

/** How long a picked-up message stays invisible to other workers without a heartbeat (30 s). */
export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;

/** Deliveries without an outcome before a message is treated as poison and sent to the DLQ. */
export const DEFAULT_MAX_DELIVERIES = 5;

/** How long task state and results live after the task ends (24 h). */
export const DEFAULT_RESULT_TTL_MS = 86_400_000;

/** How long a graceful stop waits for in-flight attempts before returning them (30 s). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * Tasks a worker runs at once: twice the usable cores, because most tasks wait on I/O and a
 * worker pinned to one task per core would sit idle.
 */
export const DEFAULT_CONCURRENCY = 2 * availableParallelism();

/** Queue of tasks that name none, and the queue a worker consumes when given none. */
export const DEFAULT_QUEUE = 'default';

/** Queues a worker consumes when none are configured. */
export const DEFAULT_QUEUES: readonly string[] = Object.freeze([DEFAULT_QUEUE]);

/** Interface the HTTP server binds to: loopback, so nothing is exposed by accident. */
export const DEFAULT_SERVER_HOST = '127.0.0.1';

/** Port of the HTTP server. */
export const DEFAULT_SERVER_PORT = 8080;

/** Multi-tenancy is opt-in: quotas and tenant checks cost a lookup per message. */
export const DEFAULT_TENANCY_ENABLED = false;

/** Per-task defaults of SPEC section 3, already converted to milliseconds. */
export const DEFAULT_TASK_OPTIONS = Object.freeze({
  queue: DEFAULT_QUEUE,
  priority: 0,
  maxRetries: 3,
  retryDelayMs: 60_000,
  retryBackoffMaxMs: 3_600_000,
  retryJitter: false,
  timeoutMs: 300_000,
  softTimeoutMs: undefined,
  storeResult: true,
  resultTtlMs: DEFAULT_RESULT_TTL_MS,
  dontRetryOn: Object.freeze([]),
});
