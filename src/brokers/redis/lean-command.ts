import type { Command } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';

/** A command's arguments, flat: for `FCALL`, the function, its number of keys, the keys and the arguments. */
export type CommandArgs = (string | number)[];

/** A command that keeps, of its promise, only the two functions that settle it. */
interface LeanCommand extends Command {
  fulfil: (value: unknown) => void;
  fail: (error: Error) => void;
}

type LeanCommandConstructor = new (
  name: string,
  args: CommandArgs,
  options: { replyEncoding: 'utf8' },
) => Command;

let LeanCommandClass: LeanCommandConstructor | undefined;

/**
 * An ioredis command, its reply as text, that spares two per-command costs of ioredis's own
 * `Command`. Every command a worker sends for each task is one: the `FCALL`s and the blocking wait.
 *
 * - It copies its arguments with `Array.prototype.flat`, which V8 runs at ~170 ns an element:
 *   25 µs for the settle-and-claim of a busy worker's 35 tasks (~150 arguments). `args` is flat
 *   already, so it answers `flat()` with itself; ioredis still turns numbers into strings.
 * - It stores two arrow functions (`resolve`, `reject`) that close over the command; with them,
 *   V8 kept a worker's claim replies (a batch of envelopes each) past the next young-generation
 *   collection and promoted them, ~1–4 MB per collection while the worker was busy. Shared
 *   functions serve instead, as ioredis calls them as methods; the same drain promotes a few KB.
 *   The blocking wait of an idle worker did the same with every task, ~250 KB a collection,
 *   until V8 had optimised the code around it: a fresh worker's first collection of the old
 *   generation, and its slowest young ones, fell among its first tasks.
 *
 * Measurements: docs/performance-history.md.
 */
export function leanCommand(name: string, args: CommandArgs): Command {
  (args as { flat: unknown }).flat = alreadyFlat;
  LeanCommandClass ??= leanCommandClass(loadIoredis().Command);
  return new LeanCommandClass(name, args, { replyEncoding: 'utf8' });
}

/**
 * As {@link leanCommand}, for a command sent only to learn when it answers (the blocking wait): it
 * resolves with nothing and leaves its reply undecoded, so the replies the shared settler decodes
 * keep one shape in a fresh worker's optimised code.
 */
export function leanSignalCommand(name: string, args: CommandArgs): Command {
  const command = leanCommand(name, args);
  command.resolve = resolveUnread;
  return command;
}

/** Stands in for `Array.prototype.flat` on a list that is flat already: hands it back as it is. */
function alreadyFlat(this: CommandArgs): CommandArgs {
  return this;
}

function leanCommandClass(Base: typeof Command): LeanCommandConstructor {
  class Lean extends Base {}
  // ioredis's constructor calls `initPromise`, a private method: replaced here, as types forbid
  // overriding it.
  Object.assign(Lean.prototype, { initPromise });
  return Lean;
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

/** Settles a signal command: its timers cleared, its reply left unread. */
function resolveUnread(this: LeanCommand): void {
  clearTimers(this);
  this.fulfil(undefined);
  this.isResolved = true;
}

function rejectCommand(this: LeanCommand, error: Error): void {
  clearTimers(this);
  this.fail(error);
}

/** ioredis arms a timer per command for its `commandTimeout` option; settling disarms it. */
function clearTimers(command: Command): void {
  (command as unknown as { _clearTimers?: () => void })._clearTimers?.();
}
