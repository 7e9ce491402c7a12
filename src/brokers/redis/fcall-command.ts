import type { Command } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';

/** `FCALL`'s arguments, flat: the function, its number of keys, the keys and the arguments. */
export type FcallArgs = (string | number)[];

/** A command that keeps, of its promise, only the two functions that settle it. */
interface LeanCommand extends Command {
  fulfil: (value: unknown) => void;
  fail: (error: Error) => void;
}

type LeanCommandConstructor = new (
  name: string,
  args: FcallArgs,
  options: { replyEncoding: 'utf8' },
) => Command;

let LeanFcall: LeanCommandConstructor | undefined;

/**
 * An ioredis command for `FCALL` that spares two per-command costs of ioredis's own `Command`:
 *
 * - It copies its arguments with `Array.prototype.flat`, which V8 runs at ~170 ns an element:
 *   25 µs for the settle-and-claim of a busy worker's 35 tasks (~150 arguments). `args` is flat
 *   already, so it answers `flat()` with itself; ioredis still turns numbers into strings.
 * - It stores two arrow functions (`resolve`, `reject`) that close over the command; with them,
 *   V8 kept a worker's claim replies (a batch of envelopes each) past the next young-generation
 *   collection and promoted them, ~1–4 MB per collection while the worker was busy. Shared
 *   functions serve instead, as ioredis calls them as methods; the same drain promotes a few KB.
 *
 * Measurements: docs/performance-history.md.
 */
export function fcallCommand(args: FcallArgs): Command {
  (args as { flat: unknown }).flat = alreadyFlat;
  LeanFcall ??= leanCommandClass(loadIoredis().Command);
  return new LeanFcall('fcall', args, { replyEncoding: 'utf8' });
}

/** Stands in for `Array.prototype.flat` on a list that is flat already: hands it back as it is. */
function alreadyFlat(this: FcallArgs): FcallArgs {
  return this;
}

function leanCommandClass(Base: typeof Command): LeanCommandConstructor {
  class LeanCommandClass extends Base {}
  // ioredis's constructor calls `initPromise`, a private method: replaced here, as types forbid
  // overriding it.
  Object.assign(LeanCommandClass.prototype, { initPromise });
  return LeanCommandClass;
}

/** In place of ioredis's own: the arguments as strings, a promise, and shared settlers. */
function initPromise(this: LeanCommand): void {
  this.stringifyArguments();
  let fulfil!: LeanCommand['fulfil'];
  let fail!: LeanCommand['fail'];
  this.promise = new Promise((resolve, reject) => {
    fulfil = resolve;
    fail = reject;
  });
  this.fulfil = fulfil;
  this.fail = fail;
  this.resolve = resolveCommand;
  this.reject = rejectCommand;
}

/** As ioredis's own: its timers cleared, the reply decoded as the command's encoding asks. */
function resolveCommand(this: LeanCommand, reply: Buffer | Buffer[]): void {
  clearTimers(this);
  try {
    this.fulfil(this.transformReply(reply));
    this.isResolved = true;
  } catch (error) {
    this.reject(error as Error);
  }
}

function rejectCommand(this: LeanCommand, error: Error): void {
  clearTimers(this);
  this.fail(error);
}

/** ioredis arms a timer per command for its `commandTimeout` option; settling disarms it. */
function clearTimers(command: Command): void {
  (command as unknown as { _clearTimers?: () => void })._clearTimers?.();
}
