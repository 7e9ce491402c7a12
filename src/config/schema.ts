import { toMs } from '../protocol/duration.js';
import { array, invalid, object, optional, type Check, type Output } from './check.js';

export { validate, type IssueSummary } from './check.js';

// Every schema carries its own "expected …" wording as its failure, so callers can build
// one-line messages (`<key>: expected <wording>, got <value>`).

const DURATION_WORDING = "milliseconds or a string like '500ms', '60s', '5m', '1h' or '7d'";

/** Allowed URL schemes of brokers and result backends. */
export const STORE_URL_SCHEMES = ['redis://', 'rediss://', 'sqlite://'] as const;

/** Highest task priority; priorities run from 0 to this value, higher first. */
export const PRIORITY_MAX = 255;

function integer(min: number, max: number, wording: string): Check<number> {
  return (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : invalid(wording, value);
}

function duration(minMs: number, wording: string): Check<number> {
  return (value) => {
    if (typeof value !== 'number' && typeof value !== 'string') return invalid(wording, value);
    let ms: number;
    try {
      ms = toMs(value);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ms = -1;
    }
    return ms < minMs ? invalid(wording, value) : ms;
  };
}

function string(minLength: number, maxLength: number, wording: string): Check<string> {
  return (value) =>
    typeof value === 'string' && value.length >= minLength && value.length <= maxLength
      ? value
      : invalid(wording, value);
}

/** An integer ≥ 0. */
export const nonNegativeIntSchema = integer(0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');

/** An integer ≥ 1. */
export const positiveIntSchema = integer(1, Number.MAX_SAFE_INTEGER, 'a positive integer');

/** A TCP port, 1–65535. */
export const portSchema = integer(1, 65_535, 'an integer 1–65535');

/** A task priority, 0–{@link PRIORITY_MAX}. */
export const prioritySchema = integer(0, PRIORITY_MAX, `an integer 0–${PRIORITY_MAX}`);

/** A duration ≥ 0 (number of ms or duration string), output in milliseconds. */
export const durationSchema = duration(0, `a duration (${DURATION_WORDING})`);

/** A duration > 0 (number of ms or duration string), output in milliseconds. */
export const positiveDurationSchema = duration(1, `a positive duration (${DURATION_WORDING})`);

/** `true` or `false`. */
export const booleanSchema: Check<boolean> = (value) =>
  typeof value === 'boolean' ? value : invalid('a boolean (true or false)', value);

/** A non-empty string. */
export const nonEmptyStringSchema = string(1, Infinity, 'a non-empty string');

/** An identifier such as a task id or tenant id: 1–200 characters. */
export const identifierSchema = string(1, 200, 'a string of 1–200 characters');

const QUEUE_NAME_WORDING = 'a queue name of 1–200 characters without {, } or whitespace';
const QUEUE_NAME = /^[^{}\s]+$/;

/**
 * A queue name. Braces are refused because a queue name becomes a Redis Cluster hash tag
 * (`turbine:{<queue>}:…`); whitespace because names are given as comma lists on the CLI.
 */
export const queueNameSchema: Check<string> = (value) =>
  typeof value === 'string' && value.length <= 200 && QUEUE_NAME.test(value)
    ? value
    : invalid(QUEUE_NAME_WORDING, value);

const queueNamesSchema = array(queueNameSchema, QUEUE_NAME_WORDING);

/** A non-empty list of queue names, given as an array or a comma-separated string; duplicates dropped. */
export const queueListSchema: Check<string[]> = (value) => {
  // Array.from turns holes into undefined, which `every` alone would skip.
  const isList = Array.isArray(value) && Array.from(value).every((name) => typeof name === 'string');
  if (typeof value !== 'string' && !isList) {
    invalid('a list of queue names, as an array or a comma-separated string', value);
  }
  // Stray commas and spaces in a comma list ('a, b,') are forgiven; array items are taken as given.
  const names =
    typeof value === 'string'
      ? value
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '')
      : (value as string[]);
  if (names.length === 0) invalid('at least one queue name', value);
  return [...new Set(queueNamesSchema(names))];
};

const STORE_URL_WORDING = `a URL starting with ${STORE_URL_SCHEMES.slice(0, -1).join(', ')} or ${STORE_URL_SCHEMES.at(-1)}`;

/** A broker or result-backend URL with one of the {@link STORE_URL_SCHEMES}. */
export const storeUrlSchema: Check<string> = (value) =>
  typeof value === 'string' && STORE_URL_SCHEMES.some((scheme) => value.startsWith(scheme))
    ? value
    : invalid(STORE_URL_WORDING, value);

/** Keys of each `turbine.toml` section with their schemas; also the source of the `TURBINE_*` names. */
export const configShape = {
  broker: {
    url: optional(storeUrlSchema),
    prefetch: optional(nonNegativeIntSchema),
    visibility_timeout: optional(positiveDurationSchema),
    max_deliveries: optional(positiveIntSchema),
  },
  backend: {
    url: optional(storeUrlSchema),
    result_ttl: optional(positiveDurationSchema),
  },
  worker: {
    concurrency: optional(positiveIntSchema),
    queues: optional(queueListSchema),
    shutdown_timeout: optional(durationSchema),
  },
  server: {
    host: optional(nonEmptyStringSchema),
    port: optional(portSchema),
  },
  security: {
    api_key: optional(nonEmptyStringSchema),
  },
  tenancy: {
    enabled: optional(booleanSchema),
  },
} as const;

/** A section name of `turbine.toml`. */
export type ConfigSection = keyof typeof configShape;

const section = <S extends ConfigSection>(name: S) => optional(object(configShape[name], 'a table'));

/**
 * The `turbine.toml` shape; unknown sections and keys are errors. Every key is optional:
 * defaults are applied after all layers (options, env, toml) are merged.
 */
export const configSchema = object(
  {
    broker: section('broker'),
    backend: section('backend'),
    worker: section('worker'),
    server: section('server'),
    security: section('security'),
    tenancy: section('tenancy'),
  },
  'a table',
);

/** One validated configuration layer, durations already in milliseconds. */
export type ConfigLayer = Output<typeof configSchema>;

/** Writes a path as `broker.prefetch`, `worker.queues[1]` or `headers.x-id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

/** Renders a user's value for the "got …" half of a message: strings quoted, long values cut. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'function') text = `function ${value.name || '(anonymous)'}`;
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (value === undefined || typeof value === 'symbol') text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
