import { z } from 'zod';
import { toMs } from '../protocol/duration.js';

// Every schema carries its own "expected …" wording as the zod error, so callers can build
// one-line messages (`<key>: expected <wording>, got <value>`) without zod's default prose.

const DURATION_WORDING = "milliseconds or a string like '500ms', '60s', '5m', '1h' or '7d'";

/** Allowed URL schemes of brokers and result backends. */
export const STORE_URL_SCHEMES = ['redis://', 'rediss://', 'sqlite://'] as const;

/** Highest task priority; priorities run from 0 to this value, higher first. */
export const PRIORITY_MAX = 255;

function integer(min: number, max: number, wording: string) {
  const error = { error: wording };
  return z.number(error).int(error).min(min, error).max(max, error);
}

function duration(minMs: number, wording: string) {
  return z.union([z.number(), z.string()], { error: wording }).transform((value, ctx) => {
    let ms: number;
    try {
      ms = toMs(value);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      ms = -1;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: wording, input: value });
      return z.NEVER;
    }
    return ms;
  });
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
export const booleanSchema = z.boolean({ error: 'a boolean (true or false)' });

/** A non-empty string. */
export const nonEmptyStringSchema = z.string({ error: 'a non-empty string' }).min(1, 'a non-empty string');

/** An identifier such as a task id or tenant id: 1–200 characters. */
export const identifierSchema = z
  .string({ error: 'a string of 1–200 characters' })
  .min(1, 'a string of 1–200 characters')
  .max(200, 'a string of 1–200 characters');

const QUEUE_NAME_WORDING = 'a queue name of 1–200 characters without {, } or whitespace';

/**
 * A queue name. Braces are refused because a queue name becomes a Redis Cluster hash tag
 * (`turbine:{<queue>}:…`); whitespace because names are given as comma lists on the CLI.
 */
export const queueNameSchema = z
  .string({ error: QUEUE_NAME_WORDING })
  .max(200, QUEUE_NAME_WORDING)
  .regex(/^[^{}\s]+$/, QUEUE_NAME_WORDING);

/** A non-empty list of queue names, given as an array or a comma-separated string; duplicates dropped. */
export const queueListSchema = z
  .union([z.string(), z.array(z.string())], {
    error: 'a list of queue names, as an array or a comma-separated string',
  })
  // Stray commas and spaces in a comma list ('a, b,') are forgiven; array items are taken as given.
  .transform((value, ctx) => {
    const names = typeof value === 'string' ? value.split(',').map((name) => name.trim()) : value;
    const kept = typeof value === 'string' ? names.filter((name) => name !== '') : names;
    if (kept.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one queue name', input: value });
    return kept;
  })
  .pipe(z.array(queueNameSchema))
  .transform((names) => [...new Set(names)]);

const STORE_URL_WORDING = `a URL starting with ${STORE_URL_SCHEMES.slice(0, -1).join(', ')} or ${STORE_URL_SCHEMES.at(-1)}`;

/** A broker or result-backend URL with one of the {@link STORE_URL_SCHEMES}. */
export const storeUrlSchema = z
  .string({ error: STORE_URL_WORDING })
  .refine((url) => STORE_URL_SCHEMES.some((scheme) => url.startsWith(scheme)), STORE_URL_WORDING);

/** Keys of each `turbine.toml` section with their schemas; also the source of the `TURBINE_*` names. */
export const configShape = {
  broker: {
    url: storeUrlSchema.optional(),
    prefetch: nonNegativeIntSchema.optional(),
    visibility_timeout: positiveDurationSchema.optional(),
    max_deliveries: positiveIntSchema.optional(),
  },
  backend: {
    url: storeUrlSchema.optional(),
    result_ttl: positiveDurationSchema.optional(),
  },
  worker: {
    concurrency: positiveIntSchema.optional(),
    queues: queueListSchema.optional(),
    shutdown_timeout: durationSchema.optional(),
  },
  server: {
    host: nonEmptyStringSchema.optional(),
    port: portSchema.optional(),
  },
  security: {
    api_key: nonEmptyStringSchema.optional(),
  },
  tenancy: {
    enabled: booleanSchema.optional(),
  },
} as const;

/** A section name of `turbine.toml`. */
export type ConfigSection = keyof typeof configShape;

const section = <S extends ConfigSection>(name: S) =>
  z.object(configShape[name], { error: 'a table' }).strict().optional();

/**
 * The `turbine.toml` shape; unknown sections and keys are errors. Every key is optional:
 * defaults are applied after all layers (options, env, toml) are merged.
 */
export const configSchema = z
  .object({
    broker: section('broker'),
    backend: section('backend'),
    worker: section('worker'),
    server: section('server'),
    security: section('security'),
    tenancy: section('tenancy'),
  })
  .strict();

/** One validated configuration layer, durations already in milliseconds. */
export type ConfigLayer = z.output<typeof configSchema>;

/** What went wrong first in a failed parse, ready to be worded by the caller. */
export type IssueSummary =
  | { kind: 'unknown'; path: PropertyKey[]; key: string }
  | { kind: 'invalid'; path: PropertyKey[]; expected: string; input: unknown };

/** Summarises the first issue of a zod error; callers add where the value came from. */
export function summarizeIssue(error: z.ZodError): IssueSummary {
  const issue = error.issues[0];
  if (issue === undefined) return { kind: 'invalid', path: [], expected: 'a valid value', input: undefined };
  if (issue.code === 'unrecognized_keys') {
    return { kind: 'unknown', path: issue.path, key: issue.keys[0] ?? '' };
  }
  return { kind: 'invalid', path: issue.path, expected: issue.message, input: issue.input };
}

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
