import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { ConfigError } from '../../errors/config-error.js';
import { TurbineError } from '../../errors/turbine-error.js';
import { leanCommand, type CommandArgs } from './lean-command.js';

/** Beside this module in src/, and beside the bundle in dist/ (scripts/build.mjs copies it). */
const LUA_DIR = new URL('./lua/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, LUA_DIR), 'utf8');

/**
 * Script names and their files; the number in a file name is its number of KEYS, and `n` a
 * number the caller gives first, before the keys. Each file is the body of one function of
 * Turbine's function library, which also holds the shared helpers of `includes/`.
 */
const SCRIPT_FILES = {
  turbineEnqueue: 'enqueue-1.lua',
  turbineClaim: 'claim-2.lua',
  turbineClaimMany: 'claim-many-n.lua',
  turbineSettle: 'settle-1.lua',
  turbineSettleClaim: 'settle-claim-2.lua',
  turbineSettleClaimMany: 'settle-claim-many-n.lua',
  turbineRevoke: 'revoke-8.lua',
  turbinePurge: 'purge-4.lua',
  turbineDlqReplay: 'dlq-replay-9.lua',
} as const;

type ScriptName = keyof typeof SCRIPT_FILES;
/** A script's call: its KEYS, then its ARGV; for a script of `n` keys, their number comes first. */
type ScriptFn = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** A Redis client with Turbine's scripts defined on it. */
export type ScriptedRedis = Redis & Record<ScriptName, ScriptFn>;

/** A script's function in the library: its name and its number of KEYS (undefined: the caller's). */
interface LibraryFunction {
  name: string;
  keys: number | undefined;
}

/** The library: its source, and the name and number of KEYS of each script's function in it. */
interface Library {
  source: string;
  functions: Record<ScriptName, LibraryFunction>;
}

/**
 * Reads the library's source: helpers once, then each script registered as a function. Its name
 * carries a hash of the source, so processes of different Turbine versions on one Redis each find
 * their own.
 */
function readLibrary(): Library {
  const helpers = ['common', 'claim', 'settle'].map((include) => read(`includes/${include}.lua`));
  const scripts = Object.entries(SCRIPT_FILES) as [ScriptName, string][];
  const bodies = scripts.map(([, file]) => read(file));
  const hash = createHash('sha1')
    .update([...helpers, ...bodies].join('\n'))
    .digest('hex')
    .slice(0, 12);
  const functions = Object.fromEntries(
    scripts.map(([name, file]) => [name, { name: `${name}_${hash}`, keys: keyCountOf(file) }]),
  ) as Record<ScriptName, LibraryFunction>;
  // A body reads KEYS and ARGV as a script would; here they are its function's parameters.
  const registrations = scripts.map(
    ([name, file], i) =>
      `-- ${file}\nredis.register_function('${functions[name].name}', function(KEYS, ARGV)\n${bodies[i]}\nend)`,
  );
  return { source: [`#!lua name=turbine_${hash}`, ...helpers, ...registrations].join('\n'), functions };
}

/** The number of KEYS a script's file name gives (`claim-2.lua`: 2), undefined for `n`. */
function keyCountOf(file: string): number | undefined {
  const count = /-(\d+|n)\.lua$/.exec(file)![1]!;
  return count === 'n' ? undefined : Number(count);
}

let functions: Library['functions'] | undefined;
/**
 * The functions' names, read on first use: an app on the embedded broker never reads the Lua
 * files. Only the names are kept; the ~23 KB source is read again when a server needs it, rarely.
 */
const libraryFunctions = (): Library['functions'] => (functions ??= readLibrary().functions);

/** The error for a server without functions (`FCALL`): a Redis older than 7.0. */
function tooOld(redis: Redis, cause: Error): ConfigError {
  const { host, port } = redis.options;
  return new ConfigError(
    `broker: the Redis at ${host}:${port} does not know FCALL; Turbine needs Redis 7.0 or newer (${cause.message})`,
    { cause },
  );
}

/** Loads the library unless the server has it already (another process may have loaded it). */
async function loadLibrary(redis: Redis): Promise<void> {
  const { source, functions: onDisk } = readLibrary();
  // Every name carries the source's hash: one differing means the files changed under us.
  if (onDisk.turbineClaim.name !== libraryFunctions().turbineClaim.name) {
    throw new TurbineError(
      `Turbine's Lua files in ${fileURLToPath(LUA_DIR)} changed since this process started; restart it`,
    );
  }
  try {
    await redis.function('LOAD', source);
  } catch (error) {
    if (!/already exists/.test((error as Error).message)) throw error;
  }
}

/**
 * Defines every script on a client as a call of its function (`FCALL`). A server without the
 * library — the first call, or after a restart without persistence — answers "Function not
 * found": the library is loaded and the call sent again. Functions are created once when the
 * library loads, where a script would create its helpers anew on every call.
 */
export function defineScripts(redis: Redis): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  let loading: Promise<void> | undefined;
  for (const [script, { name: fn, keys }] of Object.entries(libraryFunctions()) as [
    ScriptName,
    LibraryFunction,
  ][]) {
    if (script in redis) continue;
    scripted[script] = (...keysThenArgs) => {
      const args = keys === undefined ? [fn, ...keysThenArgs] : [fn, keys, ...keysThenArgs];
      return sendFcall(redis, args).catch(async (error: Error) => {
        if (/unknown command .fcall/i.test(error.message)) throw tooOld(redis, error);
        if (!error.message.startsWith('ERR Function not found')) throw error;
        loading ??= loadLibrary(redis).finally(() => (loading = undefined));
        await loading;
        return sendFcall(redis, args);
      });
    };
  }
  return scripted;
}

const sendFcall = (redis: Redis, args: CommandArgs): Promise<unknown> =>
  redis.sendCommand(leanCommand('fcall', args)) as Promise<unknown>;
