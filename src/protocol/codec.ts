import type { Envelope } from './envelope.js';
import { ENVELOPE_VERSION } from './envelope.js';

/** Raised when a value cannot travel as a task argument or result; names the path of the culprit. */
export class SerializationError extends TypeError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(
      `${path}: ${problem}; task arguments and results must be JSON values (null, boolean, finite number, string, array, plain object)`,
    );
    this.name = 'SerializationError';
    this.path = path;
  }
}

/**
 * Checks that `value` survives a JSON round trip unchanged, and throws a {@link SerializationError}
 * naming the first path that would not (a function, a Date, a Map, NaN, a cycle…).
 */
export function assertJsonValue(value: unknown, path: string, seen = new Set<object>()): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new SerializationError(path, `${value} is not a finite number`);
      return;
    case 'object':
      break;
    default:
      throw new SerializationError(path, `a ${typeof value} cannot be serialised`);
  }
  if (value === null) return;
  if (seen.has(value)) throw new SerializationError(path, 'circular reference');
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === undefined) throw new SerializationError(`${path}[${index}]`, 'undefined inside an array');
      assertJsonValue(item, `${path}[${index}]`, seen);
    });
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as object).constructor?.name ?? 'object';
      throw new SerializationError(path, `a ${kind} instance cannot be serialised`);
    }
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) assertJsonValue(item, `${path}.${key}`, seen);
    }
  }
  seen.delete(value);
}

/** Validates call arguments (trailing `undefined`s are dropped, as optional parameters). */
export function normalizeArgs(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const kept = args.slice(0, end);
  kept.forEach((arg, index) => {
    if (arg === undefined)
      throw new SerializationError(`args[${index}]`, 'undefined in the middle of the arguments');
    assertJsonValue(arg, `args[${index}]`);
  });
  return kept;
}

/** Serialises an envelope for a broker. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** Raised when bytes in a queue are not a Turbine envelope. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/**
 * Parses and checks a stored envelope.
 * @throws MalformedMessageError saying what is wrong with the bytes.
 */
export function decodeEnvelope(raw: string): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MalformedMessageError(`message is not JSON (${preview(raw)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedMessageError(`message is not a JSON object (${preview(raw)})`);
  }
  const e = parsed as Partial<Envelope>;
  if (typeof e.v !== 'number' || e.v > ENVELOPE_VERSION) {
    throw new MalformedMessageError(`unsupported envelope version ${String(e.v)}`);
  }
  for (const field of ['id', 'name', 'queue'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '')
      throw new MalformedMessageError(`envelope field '${field}' is missing`);
  }
  if (!Array.isArray(e.args)) throw new MalformedMessageError("envelope field 'args' is not an array");
  for (const field of ['priority', 'attempt', 'maxRetries', 'createdAt'] as const) {
    if (typeof e[field] !== 'number')
      throw new MalformedMessageError(`envelope field '${field}' is not a number`);
  }
  return e as Envelope;
}

function preview(raw: string): string {
  const printable = raw.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
  return `${raw.length} bytes, starting '${printable}'`;
}
