import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { resolveCallOptions, resolveTaskOptions } from './task-options.js';
import type { ApplyOptions, TaskOptions } from './task-options.js';

const APP = { resultTtlMs: 1234 };
const NOW = 1_700_000_000_000;

/** The one-line ConfigError message thrown by `run`. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

const taskError = (options: unknown) => errorOf(() => resolveTaskOptions('add', options as TaskOptions, APP));
const callError = (options: unknown) =>
  errorOf(() => resolveCallOptions('add', options as ApplyOptions, NOW));

class Boom extends Error {}

describe('resolveTaskOptions', () => {
  it('applies the SPEC defaults, taking resultTtl from the app', () => {
    expect(resolveTaskOptions('add', undefined, APP)).toEqual({
      queue: 'default',
      priority: 0,
      maxRetries: 3,
      retryDelayMs: 60_000,
      retryBackoffMaxMs: 3_600_000,
      retryJitter: false,
      timeoutMs: 300_000,
      softTimeoutMs: undefined,
      storeResult: true,
      resultTtlMs: 1234,
      dontRetryOn: [],
    });
  });

  it('converts every given option, durations to milliseconds', () => {
    const resolved = resolveTaskOptions(
      'send',
      {
        queue: 'emails',
        priority: 255,
        maxRetries: 0,
        retryDelay: '5s',
        retryBackoffMax: 60_000,
        retryJitter: true,
        timeout: '2m',
        softTimeout: '90s',
        storeResult: false,
        resultTtl: '7d',
        dontRetryOn: [Boom, TypeError],
      },
      APP,
    );
    expect(resolved).toEqual({
      queue: 'emails',
      priority: 255,
      maxRetries: 0,
      retryDelayMs: 5000,
      retryBackoffMaxMs: 60_000,
      retryJitter: true,
      timeoutMs: 120_000,
      softTimeoutMs: 90_000,
      storeResult: false,
      resultTtlMs: 604_800_000,
      dontRetryOn: [Boom, TypeError],
    });
  });

  it('gives each task its own dontRetryOn list', () => {
    const first = resolveTaskOptions('a', {}, APP);
    first.dontRetryOn.push(Boom);
    expect(resolveTaskOptions('b', {}, APP).dontRetryOn).toEqual([]);
  });

  it('names the task, the option, the expectation and the value', () => {
    expect(taskError({ priority: 300 })).toBe(
      'task "add": option priority: expected an integer 0–255, got 300',
    );
    expect(taskError({ priority: 1.5 })).toMatch(/option priority: expected an integer 0–255, got 1\.5$/);
    expect(taskError({ maxRetries: -1 })).toBe(
      'task "add": option maxRetries: expected a non-negative integer, got -1',
    );
    expect(taskError({ queue: 'a b' })).toMatch(
      /^task "add": option queue: expected a queue name .*, got "a b"$/,
    );
    expect(taskError({ queue: '{x}' })).toMatch(/option queue: expected a queue name/);
    expect(taskError({ queue: '' })).toMatch(/option queue: expected a queue name/);
    expect(taskError({ queue: 'q'.repeat(201) })).toMatch(/option queue: expected a queue name/);
    expect(taskError({ retryDelay: '1 minute' })).toMatch(
      /^task "add": option retryDelay: expected a duration/,
    );
    expect(taskError({ timeout: 0 })).toMatch(
      /^task "add": option timeout: expected a positive duration .*, got 0$/,
    );
    expect(taskError({ retryJitter: 'yes' })).toBe(
      'task "add": option retryJitter: expected a boolean (true or false), got "yes"',
    );
    expect(taskError({ storeResult: 1 })).toMatch(/option storeResult: expected a boolean/);
    expect(taskError({ resultTtl: -5 })).toMatch(/option resultTtl: expected a positive duration/);
    expect(taskError({ dontRetryOn: [Boom, 'Error'] })).toBe(
      'task "add": option dontRetryOn[1]: expected an error class, got "Error"',
    );
    expect(taskError({ dontRetryOn: Boom })).toMatch(/option dontRetryOn: expected a list of error classes/);
  });

  it('rejects a soft timeout that is not below the hard one', () => {
    expect(taskError({ softTimeout: '300s' })).toBe(
      'task "add": option softTimeout: expected less than timeout (300000 ms), got "300s"',
    );
    expect(resolveTaskOptions('add', { softTimeout: '5s', timeout: '10s' }, APP).softTimeoutMs).toBe(5000);
  });

  it('rejects unknown options, listing the known ones', () => {
    expect(taskError({ retries: 3 })).toMatch(
      /^task "add": unknown option "retries"; expected one of queue, priority, /,
    );
  });

  it('rejects options that are not an object', () => {
    expect(taskError(42)).toBe('task "add": options: expected an options object, got 42');
  });
});

describe('resolveCallOptions', () => {
  it('returns an empty object when nothing is set, with no undefined keys', () => {
    expect(resolveCallOptions('add', undefined, NOW)).toEqual({});
    const resolved = resolveCallOptions('add', { queue: undefined, countdown: undefined }, NOW);
    expect(Object.keys(resolved)).toEqual([]);
  });

  it('keeps the plain options', () => {
    const options: ApplyOptions = {
      queue: 'high',
      priority: 9,
      tenantId: 'acme',
      idempotencyKey: 'order-42',
      headers: { traceparent: '00-abc-def-01' },
      taskId: 'id-1',
    };
    expect(resolveCallOptions('add', options, NOW)).toEqual(options);
  });

  it('turns countdown into dueAt relative to now', () => {
    expect(resolveCallOptions('add', { countdown: '10s' }, NOW)).toEqual({ dueAt: NOW + 10_000 });
    expect(resolveCallOptions('add', { countdown: 0 }, NOW)).toEqual({ dueAt: NOW });
  });

  it('accepts eta as a Date or epoch milliseconds', () => {
    expect(resolveCallOptions('add', { eta: new Date(NOW + 5) }, NOW)).toEqual({ dueAt: NOW + 5 });
    expect(resolveCallOptions('add', { eta: NOW + 7 }, NOW)).toEqual({ dueAt: NOW + 7 });
  });

  it('accepts expires as a duration from now or a Date', () => {
    expect(resolveCallOptions('add', { expires: '5m' }, NOW)).toEqual({ expiresAt: NOW + 300_000 });
    expect(resolveCallOptions('add', { expires: new Date(NOW + 9) }, NOW)).toEqual({ expiresAt: NOW + 9 });
  });

  it('refuses countdown and eta together', () => {
    expect(callError({ countdown: 1, eta: NOW })).toBe(
      'task "add": options countdown and eta exclude each other: expected one of them, got both',
    );
  });

  it('names the option, the expectation and the value', () => {
    expect(callError({ priority: 256 })).toBe(
      'task "add": option priority: expected an integer 0–255, got 256',
    );
    expect(callError({ queue: 'a{b}' })).toMatch(/^task "add": option queue: expected a queue name/);
    expect(callError({ countdown: '-1s' })).toMatch(/^task "add": option countdown: expected a duration/);
    expect(callError({ eta: new Date('nope') })).toBe(
      'task "add": option eta: expected a Date or a time in epoch milliseconds, got Invalid Date',
    );
    expect(callError({ eta: '2030-01-01' })).toMatch(
      /option eta: expected a Date or a time in epoch milliseconds/,
    );
    expect(callError({ expires: 'tomorrow' })).toBe(
      'task "add": option expires: expected a duration or a Date, got "tomorrow"',
    );
    expect(callError({ headers: { a: 'ok', b: 5 } })).toBe(
      'task "add": option headers.b: expected a string, got 5',
    );
    expect(callError({ headers: 'x' })).toMatch(/option headers: expected an object of string values/);
    expect(callError({ taskId: '' })).toBe(
      'task "add": option taskId: expected a string of 1–200 characters, got ""',
    );
    expect(callError({ taskId: 'x'.repeat(201) })).toMatch(
      /option taskId: expected a string of 1–200 characters/,
    );
    expect(callError({ tenantId: 7 })).toMatch(
      /option tenantId: expected a string of 1–200 characters, got 7$/,
    );
    expect(callError({ idempotencyKey: '' })).toMatch(/option idempotencyKey: expected a string/);
  });

  it('rejects unknown options, listing the known ones', () => {
    expect(callError({ delay: 5 })).toMatch(
      /^task "add": unknown option "delay"; expected one of queue, priority, countdown/,
    );
  });
});
