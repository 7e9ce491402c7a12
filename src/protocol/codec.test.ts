import { describe, expect, it } from 'vitest';
import { encodeNewEnvelope, normalizeArgs, SerializationError } from './codec.js';
import { ENVELOPE_VERSION, type Envelope } from './envelope.js';

function problemOf(args: unknown[]): string {
  try {
    normalizeArgs(args);
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return (error as Error).message.split(';')[0]!;
  }
  throw new Error('expected a SerializationError');
}

describe('normalizeArgs', () => {
  it('keeps JSON values, shared references and array holes, and drops trailing undefineds', () => {
    const shared = { n: 1 };
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const args = ['text', 0, -1.5, true, null, [shared, shared], { a: { b: [sparse] }, skip: undefined }];
    expect(normalizeArgs([...args, undefined, undefined])).toEqual(args);
    expect(normalizeArgs([])).toEqual([]);
  });

  it('names the path of the first value that would not survive JSON', () => {
    expect(problemOf([1, { list: [1, () => 2] }])).toBe('args[1].list[1]: a function cannot be serialised');
    expect(problemOf([{ when: new Date(0) }])).toBe('args[0].when: a Date instance cannot be serialised');
    expect(problemOf([[[NaN]]])).toBe('args[0][0][0]: NaN is not a finite number');
    expect(problemOf([Infinity])).toBe('args[0]: Infinity is not a finite number');
    expect(problemOf([{ a: [undefined] }])).toBe('args[0].a[0]: undefined inside an array');
    expect(problemOf([1, undefined, 2])).toBe('args[1]: undefined in the middle of the arguments');
    expect(problemOf([10n])).toBe('args[0]: a bigint cannot be serialised');
    const loop: Record<string, unknown> = { ok: 1 };
    loop.self = { back: loop };
    expect(problemOf([loop])).toBe('args[0].self.back: circular reference');
  });
});

describe('encodeNewEnvelope', () => {
  it('writes the same JSON as JSON.stringify, every field included', () => {
    // Required<Envelope>: a field added to Envelope must be added here, and so checked below.
    const full: Required<Envelope> = {
      v: ENVELOPE_VERSION,
      id: 'id "quoted" \\ \u2028',
      name: 'ñame',
      args: [1, 'two', { three: [3] }, null],
      queue: 'q',
      priority: 7,
      attempt: 2,
      maxRetries: 3,
      createdAt: 1_700_000_000_000,
      eta: 1_700_000_001_000,
      expires: 1_700_000_002_000,
      resultTtlMs: 60_000,
      tenantId: 'tenant',
      idempotencyKey: 'order-1',
      headers: { traceparent: '00-abc' },
      workflow: { next: [] },
      batch: { items: [{ id: 'i1', args: [1] }] },
    };
    expect(encodeNewEnvelope(full)).toBe(JSON.stringify(full));
    const minimal: Envelope = { ...full, args: [], eta: undefined, headers: undefined, batch: undefined };
    expect(encodeNewEnvelope(minimal)).toBe(JSON.stringify(minimal));
    expect(JSON.parse(encodeNewEnvelope(minimal))).toEqual(JSON.parse(JSON.stringify(minimal)));
  });
});
