import { ConfigError } from '../errors/config-error.js';
import type { Duration } from '../protocol/duration.js';
import { DEFAULT_TASK_OPTIONS } from './defaults.js';
import {
  array,
  invalid,
  object,
  optional,
  record,
  validate,
  type Check,
  type ObjectCheck,
  type Output,
} from './check.js';
import {
  booleanSchema,
  describeValue,
  durationSchema,
  formatPath,
  identifierSchema,
  nonNegativeIntSchema,
  positiveDurationSchema,
  prioritySchema,
  queueNameSchema,
} from './schema.js';

/** Any error class, including abstract ones; matched with `instanceof`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Options of `app.task(name, options, fn)` (SPEC §3). */
export interface TaskOptions {
  /** Queue the task is sent to. @defaultValue `'default'` */
  queue?: string;
  /** 0–255, higher runs first; FIFO within one priority. @defaultValue `0` */
  priority?: number;
  /** Retries after the first attempt. @defaultValue `3` */
  maxRetries?: number;
  /** Backoff base: retry n waits `retryDelay × 2^(n−1)`. @defaultValue `'60s'` */
  retryDelay?: Duration;
  /** Cap on one backoff wait. @defaultValue `'1h'` */
  retryBackoffMax?: Duration;
  /** Randomise each backoff wait within [½w, w]. @defaultValue `false` */
  retryJitter?: boolean;
  /** Hard limit of one attempt; it then fails with `TaskTimeoutError`. @defaultValue `'300s'` */
  timeout?: Duration;
  /** When `currentTask().signal` aborts with `SoftTimeLimitExceeded`; below `timeout`. @defaultValue none */
  softTimeout?: Duration;
  /** `false` keeps the state but not the returned value. @defaultValue `true` */
  storeResult?: boolean;
  /** How long state and result live after the task ends. @defaultValue the app's `resultTtl` (`'24h'`) */
  resultTtl?: Duration;
  /** Error classes that fail the task at once, like `PermanentError`. @defaultValue `[]` */
  dontRetryOn?: ErrorClass[];
}

/** {@link TaskOptions} with defaults applied and durations in milliseconds. */
export interface ResolvedTaskOptions {
  queue: string;
  priority: number;
  maxRetries: number;
  retryDelayMs: number;
  retryBackoffMaxMs: number;
  retryJitter: boolean;
  timeoutMs: number;
  softTimeoutMs: number | undefined;
  storeResult: boolean;
  resultTtlMs: number;
  dontRetryOn: ErrorClass[];
}

/** Per-call options of `task.applyAsync(args, options)` (SPEC §3); unset ones fall back to the task's. */
export interface ApplyOptions {
  /** Queue for this call. @defaultValue the task's queue */
  queue?: string;
  /** Priority for this call, 0–255. @defaultValue the task's priority */
  priority?: number;
  /** Run no sooner than this long from now; excludes `eta`. @defaultValue run now */
  countdown?: Duration;
  /** Run no sooner than this moment (Date or epoch ms); excludes `countdown`. @defaultValue run now */
  eta?: Date | number;
  /** Not started by then (duration from now, or a Date) → REVOKED, never run. @defaultValue never */
  expires?: Duration | Date;
  /** Tenant the task is accounted to. @defaultValue none */
  tenantId?: string;
  /** A second submit with this key within `resultTtl` returns the first task. @defaultValue none */
  idempotencyKey?: string;
  /** String map carried to the task (trace context among them). @defaultValue `{}` */
  headers?: Record<string, string>;
  /** Id to give the task, 1–200 characters. @defaultValue a generated id */
  taskId?: string;
}

/** {@link ApplyOptions} validated, with times as epoch ms; unset keys are absent, never `undefined`. */
export interface ResolvedCallOptions {
  queue?: string;
  priority?: number;
  /** Epoch ms before which the task must not start. */
  dueAt?: number;
  /** Epoch ms after which an unstarted task is revoked. */
  expiresAt?: number;
  tenantId?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  taskId?: string;
}

const OPTIONS_WORDING = 'an options object';

const errorClassSchema: Check<ErrorClass> = (value) =>
  typeof value === 'function' ? (value as ErrorClass) : invalid('an error class', value);

const stringSchema: Check<string> = (value) =>
  typeof value === 'string' ? value : invalid('a string', value);

const isValidDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());

const etaSchema: Check<Date | number> = (value) =>
  isValidDate(value) || (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    ? value
    : invalid('a Date or a time in epoch milliseconds', value);

const expiresSchema: Check<Date | number> = (value) => {
  if (isValidDate(value)) return value;
  const ms = validate(durationSchema, value);
  return ms.success ? ms.data : invalid('a duration or a Date', value);
};

const taskOptionsSchema = object(
  {
    queue: optional(queueNameSchema),
    priority: optional(prioritySchema),
    maxRetries: optional(nonNegativeIntSchema),
    retryDelay: optional(durationSchema),
    retryBackoffMax: optional(durationSchema),
    retryJitter: optional(booleanSchema),
    timeout: optional(positiveDurationSchema),
    softTimeout: optional(positiveDurationSchema),
    storeResult: optional(booleanSchema),
    resultTtl: optional(positiveDurationSchema),
    dontRetryOn: optional(array(errorClassSchema, 'a list of error classes')),
  },
  OPTIONS_WORDING,
);

const applyOptionsSchema = object(
  {
    queue: optional(queueNameSchema),
    priority: optional(prioritySchema),
    countdown: optional(durationSchema),
    eta: optional(etaSchema),
    expires: optional(expiresSchema),
    tenantId: optional(identifierSchema),
    idempotencyKey: optional(identifierSchema),
    headers: optional(record(stringSchema, 'an object of string values')),
    taskId: optional(identifierSchema),
  },
  OPTIONS_WORDING,
);

/**
 * Validates a task's options and applies the defaults of SPEC §3.
 * @param appDefaults values the app's configuration sets for every task.
 * @throws ConfigError naming the task and the option, e.g.
 *   `task "add": option priority: expected an integer 0–255, got 300`.
 * @example resolveTaskOptions('add', { timeout: '2m' }, { resultTtlMs: config.backend.resultTtlMs })
 */
export function resolveTaskOptions(
  taskName: string,
  options: TaskOptions | undefined,
  appDefaults: { resultTtlMs: number },
): ResolvedTaskOptions {
  const o = parse(taskName, taskOptionsSchema, options ?? {});
  const defaults = DEFAULT_TASK_OPTIONS;
  const timeoutMs = o.timeout ?? defaults.timeoutMs;
  // A soft limit at or past the hard one could never fire; say so rather than ignore it.
  if (o.softTimeout !== undefined && o.softTimeout >= timeoutMs) {
    fail(
      taskName,
      `option softTimeout: expected less than timeout (${timeoutMs} ms), got ${describeValue(options?.softTimeout)}`,
    );
  }
  return {
    queue: o.queue ?? defaults.queue,
    priority: o.priority ?? defaults.priority,
    maxRetries: o.maxRetries ?? defaults.maxRetries,
    retryDelayMs: o.retryDelay ?? defaults.retryDelayMs,
    retryBackoffMaxMs: o.retryBackoffMax ?? defaults.retryBackoffMaxMs,
    retryJitter: o.retryJitter ?? defaults.retryJitter,
    timeoutMs,
    softTimeoutMs: o.softTimeout,
    storeResult: o.storeResult ?? defaults.storeResult,
    resultTtlMs: o.resultTtl ?? appDefaults.resultTtlMs,
    dontRetryOn: [...(o.dontRetryOn ?? defaults.dontRetryOn)],
  };
}

/**
 * Validates the options of one `applyAsync` call and turns `countdown`/`eta`/`expires` into
 * epoch milliseconds relative to `now`.
 * @throws ConfigError naming the task and the option.
 * @example resolveCallOptions('add', { countdown: '10s' }, Date.now()) // { dueAt: now + 10000 }
 */
export function resolveCallOptions(
  taskName: string,
  options: ApplyOptions | undefined,
  now: number,
): ResolvedCallOptions {
  // The common call passes no options: skip validation on that hot path.
  if (options === undefined) return {};
  const o = parse(taskName, applyOptionsSchema, options);
  if (o.countdown !== undefined && o.eta !== undefined) {
    fail(taskName, 'options countdown and eta exclude each other: expected one of them, got both');
  }
  const resolved: ResolvedCallOptions = {};
  if (o.queue !== undefined) resolved.queue = o.queue;
  if (o.priority !== undefined) resolved.priority = o.priority;
  if (o.countdown !== undefined) resolved.dueAt = now + o.countdown;
  if (o.eta !== undefined) resolved.dueAt = o.eta instanceof Date ? o.eta.getTime() : Math.round(o.eta);
  if (o.expires !== undefined) {
    resolved.expiresAt = o.expires instanceof Date ? o.expires.getTime() : now + o.expires;
  }
  if (o.tenantId !== undefined) resolved.tenantId = o.tenantId;
  if (o.idempotencyKey !== undefined) resolved.idempotencyKey = o.idempotencyKey;
  if (o.headers !== undefined) resolved.headers = { ...o.headers };
  if (o.taskId !== undefined) resolved.taskId = o.taskId;
  return resolved;
}

function parse<S extends Record<string, Check<unknown>>>(
  taskName: string,
  schema: ObjectCheck<S>,
  options: unknown,
): Output<ObjectCheck<S>> {
  const result = validate(schema, options);
  if (result.success) return result.data;
  const issue = result.issue;
  if (issue.kind === 'unknown') {
    const known = Object.keys(schema.shape);
    fail(taskName, `unknown option "${issue.key}"; expected one of ${known.join(', ')}`);
  }
  const key = issue.path.length === 0 ? 'options' : `option ${formatPath(issue.path)}`;
  return fail(taskName, `${key}: expected ${issue.expected}, got ${describeValue(issue.input)}`);
}

function fail(taskName: string, text: string): never {
  throw new ConfigError(`task ${JSON.stringify(taskName)}: ${text}`);
}
