// A minimal validator for Turbine's own option shapes. It replaces zod, whose every v4 entry point
// (`zod`, `zod/mini`, `zod/v4/core`) loads ~95 modules and added ~10 MB to the RSS of every worker
// (docs/architecture.md); the shapes here are flat and need only these few combinators.

/** What went wrong first in a failed check, ready to be worded by the caller. */
export type IssueSummary =
  | { kind: 'unknown'; path: PropertyKey[]; key: string }
  | { kind: 'invalid'; path: PropertyKey[]; expected: string; input: unknown };

/**
 * Thrown by a check at the first problem; enclosing objects and arrays prepend their key on the
 * way out, so valid input never pays for building paths.
 */
class CheckFailure extends Error {
  constructor(readonly issue: IssueSummary) {
    super('invalid value');
  }
}

/** Validates a value and returns it, converted where the check says so (durations to ms). */
export type Check<T> = (value: unknown) => T;

/** The value type a check returns. */
export type Output<C> = C extends Check<infer T> ? T : never;

/** A strict object check, with its shape kept for listing the known keys. */
export type ObjectCheck<S extends Record<string, Check<unknown>>> = Check<{
  [K in keyof S]?: Output<S[K]>;
}> & {
  shape: S;
};

/** Fails the running check: `input` is not `expected` (the "expected …" wording). */
export function invalid(expected: string, input: unknown): never {
  throw new CheckFailure({ kind: 'invalid', path: [], expected, input });
}

/** Runs a check, returning its value or the first issue instead of throwing. */
export function validate<T>(
  check: Check<T>,
  value: unknown,
): { success: true; data: T } | { success: false; issue: IssueSummary } {
  try {
    return { success: true, data: check(value) };
  } catch (error) {
    if (error instanceof CheckFailure) return { success: false, issue: error.issue };
    throw error;
  }
}

/** `undefined` passes as is; anything else goes through `check`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value) => (value === undefined ? undefined : check(value));
}

/** Runs `check` on a member, so a failure inside it is reported under `key`. */
function at<T>(key: PropertyKey, check: Check<T>, value: unknown): T {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof CheckFailure) error.issue.path.unshift(key);
    throw error;
  }
}

/** Any object but an array (a `Date` or a class instance counts, as it did with zod). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object with exactly the keys of `shape`: the known keys are checked in shape order first,
 * then the first unknown key is reported. Keys whose value comes out `undefined` are left out.
 */
export function object<S extends Record<string, Check<unknown>>>(shape: S, wording: string): ObjectCheck<S> {
  const check = (value: unknown) => {
    if (!isObject(value)) invalid(wording, value);
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(shape)) {
      const result = at(key, member, value[key]);
      if (result !== undefined) out[key] = result;
    }
    const unknown = Object.keys(value).find((key) => !Object.hasOwn(shape, key));
    if (unknown !== undefined) throw new CheckFailure({ kind: 'unknown', path: [], key: unknown });
    return out as { [K in keyof S]?: Output<S[K]> };
  };
  return Object.assign(check, { shape });
}

/** An array whose items all pass `item`; a failing item is reported by its index. */
export function array<T>(item: Check<T>, wording: string): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) invalid(wording, value);
    const out: T[] = [];
    for (let index = 0; index < value.length; index++) out.push(at(index, item, value[index]));
    return out;
  };
}

/** A plain object of string keys whose values all pass `item`; copied. */
export function record<T>(item: Check<T>, wording: string): Check<Record<string, T>> {
  return (value) => {
    const proto: unknown = isObject(value) ? Object.getPrototypeOf(value) : undefined;
    if (!isObject(value) || (proto !== Object.prototype && proto !== null)) invalid(wording, value);
    const out: Record<string, T> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = at(key, item, entry);
    return out;
  };
}
