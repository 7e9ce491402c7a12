import { createRequire, type Module as NodeModule } from 'node:module';
import type { Command, Redis } from 'ioredis';

interface Ioredis {
  Redis: typeof Redis;
  Command: typeof Command;
}

/** ioredis's modules of clients Turbine never makes: it talks to one Redis, by URL. */
const UNUSED_CLIENTS = [
  'ioredis/built/cluster/index.js',
  'ioredis/built/connectors/SentinelConnector/index.js',
];

const nodeRequire = createRequire(import.meta.url);
let loaded: Ioredis | undefined;

/**
 * ioredis, loaded on first use, so an app on the embedded SQLite broker never pays its memory
 * (~10 MB of an idle worker's RSS). It is a CommonJS package, so a synchronous require keeps
 * `new Turbine()` synchronous.
 *
 * Its `Redis` module loads the cluster and Sentinel clients too, for `Redis.Cluster` and the
 * `sentinels` option: ~190 KB of a worker's heap for code Turbine never runs. So `Redis` loads
 * with a stand-in in each of their places in `require.cache` (which takes provided modules, as
 * Node documents). A stand-in is a constructor that builds an instance of the real class, so
 * `new Redis.Cluster()` still works, and it leaves the cache as soon as `Redis` has loaded, so an
 * app's own `require('ioredis')` gets the real modules. An ioredis already loaded, or laid out
 * differently, is required as a whole.
 */
export function loadIoredis(): Ioredis {
  return (loaded ??= loadWithStandIns() ?? (nodeRequire('ioredis') as Ioredis));
}

function loadWithStandIns(): Ioredis | undefined {
  let paths: { redis: string; command: string; unused: string[] };
  try {
    paths = {
      redis: nodeRequire.resolve('ioredis/built/Redis.js'),
      command: nodeRequire.resolve('ioredis/built/Command.js'),
      unused: UNUSED_CLIENTS.map((specifier) => nodeRequire.resolve(specifier)),
    };
  } catch {
    return undefined;
  }
  if ([paths.redis, ...paths.unused].some((path) => nodeRequire.cache[path])) return undefined;

  const { Module } = nodeRequire('node:module') as { Module: typeof NodeModule };
  for (const path of paths.unused) {
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = { __esModule: true, default: standInFor(path) };
    nodeRequire.cache[path] = standIn;
  }
  try {
    return {
      Redis: defaultExport(paths.redis) as typeof Redis,
      Command: defaultExport(paths.command) as typeof Command,
    };
  } finally {
    for (const path of paths.unused) delete nodeRequire.cache[path];
  }
}

function defaultExport(path: string): unknown {
  return (nodeRequire(path) as { default: unknown }).default;
}

/** A constructor that builds an instance of the real class of the module at `path`. */
function standInFor(path: string): (...args: unknown[]) => object {
  return function StandIn(...args) {
    const RealClass = defaultExport(path) as new (...args: unknown[]) => object;
    return new RealClass(...args);
  };
}
