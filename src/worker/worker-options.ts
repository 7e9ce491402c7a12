import { toMs, type Duration } from '../protocol/duration.js';
import { ConfigError } from '../errors/config-error.js';

/** Options of `app.worker()`. Unset ones come from the app's configuration. */
export interface WorkerOptions {
  /** Queues to consume. @defaultValue config `worker.queues` (`['default']`) */
  queues?: string[];
  /** Tasks run at once. @defaultValue config `worker.concurrency` (2 × CPU cores) */
  concurrency?: number;
  /** Messages held ready beyond the running ones. @defaultValue config `broker.prefetch` (20) */
  prefetch?: number;
  /** How long `stop()` lets running tasks finish. @defaultValue config `worker.shutdown_timeout` (`'30s'`) */
  shutdownTimeout?: Duration;
  /** Stop gracefully on SIGTERM/SIGINT, then exit the process. @defaultValue false (the CLI sets it) */
  handleSignals?: boolean;
  /** A name for this worker in results and status. @defaultValue `host:pid:random` */
  workerId?: string;
}

/** Worker options after defaults. */
export interface ResolvedWorkerOptions {
  queues: string[];
  concurrency: number;
  prefetch: number;
  shutdownTimeoutMs: number;
  handleSignals: boolean;
  workerId: string;
  leaseMs: number;
  maxDeliveries: number;
  defaultResultTtlMs: number;
}

/** Checks worker options, naming the culprit. */
export function validateWorkerOptions(options: ResolvedWorkerOptions): ResolvedWorkerOptions {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new ConfigError(
      `worker option concurrency: expected a positive integer, got ${options.concurrency}`,
    );
  }
  if (!Number.isInteger(options.prefetch) || options.prefetch < 0) {
    throw new ConfigError(`worker option prefetch: expected a non-negative integer, got ${options.prefetch}`);
  }
  if (options.queues.length === 0 || options.queues.some((queue) => !queue || /[{}\s]/.test(queue))) {
    throw new ConfigError(
      `worker option queues: expected queue names without braces or spaces, got ${JSON.stringify(options.queues)}`,
    );
  }
  return options;
}

/** Converts a duration option, naming it on error. */
export function durationOption(value: Duration, name: string): number {
  try {
    return toMs(value, name);
  } catch (error) {
    throw new ConfigError(`worker option ${(error as Error).message}`);
  }
}
