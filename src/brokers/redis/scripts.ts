import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const LUA_DIR = new URL('./lua/', import.meta.url);
const common = readFileSync(new URL('includes/common.lua', LUA_DIR), 'utf8');

/** Script names and their file names; the number in the file name is the number of KEYS. */
const SCRIPT_FILES = {
  turbineEnqueue: 'enqueue-6.lua',
  turbineClaim: 'claim-10.lua',
  turbineSettle: 'settle-11.lua',
  turbineRevoke: 'revoke-8.lua',
  turbinePurge: 'purge-4.lua',
  turbineDlqReplay: 'dlq-replay-9.lua',
} as const;

type ScriptName = keyof typeof SCRIPT_FILES;
type ScriptFn = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** A Redis client with Turbine's scripts defined on it. */
export type ScriptedRedis = Redis & Record<ScriptName, ScriptFn>;

const sources = Object.fromEntries(
  Object.entries(SCRIPT_FILES).map(([name, file]) => {
    const body = readFileSync(new URL(file, LUA_DIR), 'utf8');
    const numberOfKeys = Number(/-(\d+)\.lua$/.exec(file)![1]);
    return [name, { numberOfKeys, lua: `${common}\n${body}` }];
  }),
) as Record<ScriptName, { numberOfKeys: number; lua: string }>;

/**
 * Defines every script on a client. ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT,
 * so scripts are loaded once per server, again after a restart, and never per call.
 */
export function defineScripts(redis: Redis): ScriptedRedis {
  for (const [name, source] of Object.entries(sources)) {
    if (!(name in redis)) redis.defineCommand(name, source);
  }
  return redis as ScriptedRedis;
}
