import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const LUA_DIR = new URL('./lua/', import.meta.url);
const common = readFileSync(new URL('includes/common.lua', LUA_DIR), 'utf8');

/** The shared functions a script is built from (`includes/<name>.lua`, after common.lua). */
type Include = 'claim' | 'settle';

/**
 * Script names, their file names and what they include; the number in the file name is the
 * number of KEYS.
 */
const SCRIPT_FILES = {
  turbineEnqueue: { file: 'enqueue-1.lua' },
  turbineClaim: { file: 'claim-10.lua', includes: ['claim'] },
  turbineSettle: { file: 'settle-11.lua', includes: ['settle'] },
  turbineSettleClaim: { file: 'settle-claim-12.lua', includes: ['settle', 'claim'] },
  turbineRevoke: { file: 'revoke-8.lua' },
  turbinePurge: { file: 'purge-4.lua' },
  turbineDlqReplay: { file: 'dlq-replay-9.lua' },
} satisfies Record<string, { file: string; includes?: Include[] }>;

type ScriptName = keyof typeof SCRIPT_FILES;
type ScriptFn = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** A Redis client with Turbine's scripts defined on it. */
export type ScriptedRedis = Redis & Record<ScriptName, ScriptFn>;

const read = (file: string): string => readFileSync(new URL(file, LUA_DIR), 'utf8');

const sources = Object.fromEntries(
  Object.entries(SCRIPT_FILES).map(([name, script]) => {
    const { file, includes = [] }: { file: string; includes?: Include[] } = script;
    const parts = [common, ...includes.map((include) => read(`includes/${include}.lua`)), read(file)];
    const numberOfKeys = Number(/-(\d+)\.lua$/.exec(file)![1]);
    return [name, { numberOfKeys, lua: parts.join('\n') }];
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
