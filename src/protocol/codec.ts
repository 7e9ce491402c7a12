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
export function assertJsonValue(value: unknown, path: string): void {
  // Plain values, the common results and arguments, need no walk (and no set of visited objects).
  if (typeof value !== 'object' || value === null) {
    const problem = problemIn(value, undefined);
    if (problem) throw new SerializationError(path, problem.text);
    return;
  }
  const problem = problemIn(value, new Set<object>());
  if (problem) throw new SerializationError(path + formatSteps(problem.steps), problem.text);
}

/** What is wrong with a value, and where: the steps (keys, indexes) from the value to the culprit. */
interface Problem {
  text: string;
  /** Innermost first: they are collected while the walk unwinds, so a valid value builds no path. */
  steps: (string | number)[];
}

function problemIn(value: unknown, seen: Set<object> | undefined): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { text: `${value} is not a finite number`, steps: [] };
    case 'object':
      if (value === null) return undefined;
      return problemInObject(value, seen ?? new Set<object>());
    default:
      return { text: `a ${typeof value} cannot be serialised`, steps: [] };
  }
}

function problemInObject(value: object, seen: Set<object>): Problem | undefined {
  if (seen.has(value)) return { text: 'circular reference', steps: [] };
  seen.add(value);
  let problem: Problem | undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length && !problem; index++) {
      const item: unknown = value[index];
      if (item !== undefined) problem = problemIn(item, seen);
      // A hole is left out like JSON leaves it (null); an explicit undefined would not survive.
      else if (index in value) problem = { text: 'undefined inside an array', steps: [] };
      problem?.steps.push(index);
    }
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = value.constructor?.name ?? 'object';
      return { text: `a ${kind} instance cannot be serialised`, steps: [] };
    }
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      problem = problemIn(item, seen);
      if (problem) {
        problem.steps.push(key);
        break;
      }
    }
  }
  seen.delete(value);
  return problem;
}

/** `.key` and `[index]` steps, outermost first. */
function formatSteps(steps: readonly (string | number)[]): string {
  let text = '';
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    text += typeof step === 'number' ? `[${step}]` : `.${step}`;
  }
  return text;
}

/** Validates call arguments (trailing `undefined`s are dropped, as optional parameters). */
export function normalizeArgs(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const kept = args.slice(0, end);
  for (let index = 0; index < end; index++) {
    const arg = kept[index];
    // Strings, booleans, finite numbers and null, the common arguments, have nothing to walk.
    if (typeof arg === 'string' || typeof arg === 'boolean' || arg === null) continue;
    if (typeof arg === 'number' && Number.isFinite(arg)) continue;
    if (arg === undefined)
      throw new SerializationError(`args[${index}]`, 'undefined in the middle of the arguments');
    assertJsonValue(arg, `args[${index}]`);
  }
  return kept;
}

/** Serialises an envelope for a broker. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/**
 * Serialises an envelope this SDK has just built, writing the fields of {@link Envelope} one by
 * one: the same JSON as {@link encodeEnvelope} for far less than JSON.stringify's generic walk,
 * which is the largest share of a submission's own CPU. Other own properties are not written, so
 * an envelope read back from a broker (it may carry fields of a newer release) takes
 * {@link encodeEnvelope}.
 */
export function encodeNewEnvelope(e: Envelope): string {
  return (
    `{"v":${jsonNumber(e.v)},"id":${JSON.stringify(e.id)},"name":${JSON.stringify(e.name)}` +
    `,"args":${e.args.length === 0 ? '[]' : JSON.stringify(e.args)},"queue":${JSON.stringify(e.queue)}` +
    `,"priority":${jsonNumber(e.priority)},"attempt":${jsonNumber(e.attempt)}` +
    `,"maxRetries":${jsonNumber(e.maxRetries)},"createdAt":${jsonNumber(e.createdAt)}` +
    optionalField('eta', e.eta) +
    optionalField('expires', e.expires) +
    optionalField('resultTtlMs', e.resultTtlMs) +
    optionalField('tenantId', e.tenantId) +
    optionalField('idempotencyKey', e.idempotencyKey) +
    optionalField('headers', e.headers) +
    optionalField('workflow', e.workflow) +
    optionalField('batch', e.batch) +
    '}'
  );
}

/** A number as JSON writes it (not finite: null). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** `,"name":value`, or nothing for an unset field (as JSON.stringify leaves it out). */
function optionalField(name: string, value: unknown): string {
  if (value === undefined) return '';
  return `,"${name}":${typeof value === 'number' ? jsonNumber(value) : JSON.stringify(value)}`;
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
  return `${raw.length} bytes, starting '${printable(raw, 40)}'`;
}

/** `text` as it can be shown in a message: its first `max` characters, printable ASCII only. */
export function printable(text: string, max: number): string {
  return text.slice(0, max).replace(/[^\x20-\x7e]/g, '?');
}
