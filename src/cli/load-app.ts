import { existsSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Turbine } from '../app/turbine.js';
import { CliError } from './cli-error.js';
import { oneLine } from './output.js';

/** Module names tried in the working directory when `--app` is not given, in order. */
export const DEFAULT_APP_MODULES = ['tasks.ts', 'tasks.js'] as const;
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * Imports the module that defines the app (`.ts` through tsx, `.js`/`.mjs` natively) and returns
 * the Turbine app it exports as `default` or as `app`. Set the broker and config environment
 * (see `applyBrokerEnv`) first: the module builds its own Turbine while it is imported.
 * @throws CliError when the module is missing, fails to load, or exports no app.
 */
export async function loadApp(path: string | undefined, cwd: string = process.cwd()): Promise<Turbine> {
  const file = resolveAppPath(path, cwd);
  const shown = displayPath(file, cwd);
  let exports: unknown;
  try {
    exports = await importModule(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot load app module ${shown}: ${oneLine(reason)}`, { cause: error });
  }
  const app = pickApp(exports);
  if (!app) {
    throw new CliError(
      `${shown} exports no Turbine app; export it as \`export const app = new Turbine()\` or as the default export`,
    );
  }
  return app;
}

/** The absolute path of the app module: `path` if given, else the first default that exists. */
export function resolveAppPath(path: string | undefined, cwd: string = process.cwd()): string {
  if (path !== undefined) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new CliError(`--app: module not found: ${path}`);
    return file;
  }
  for (const name of DEFAULT_APP_MODULES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CliError(
    `no --app given and neither ./${DEFAULT_APP_MODULES.join(' nor ./')} exists in ${cwd}; pass --app PATH`,
  );
}

async function importModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (TYPESCRIPT_EXTENSIONS.has(extname(file))) return tsImport(url, import.meta.url);
  return import(url);
}

/** The app among a module's exports: `default`, then `app`, also one level down for CommonJS interop. */
function pickApp(exports: unknown): Turbine | undefined {
  const module = asRecord(exports);
  const nested = asRecord(module?.default);
  const candidates = [module?.default, module?.app, nested?.default, nested?.app];
  return candidates.find(isTurbineApp);
}

/**
 * Recognises a Turbine app by shape, not `instanceof`: the module may import its own copy of
 * turbine-queue (a local install next to a global CLI, or tsx's scoped copy), whose class is a
 * different object from the one this CLI imported.
 */
export function isTurbineApp(value: unknown): value is Turbine {
  const candidate = asRecord(value);
  if (!candidate) return false;
  const methods = ['worker', 'queues', 'purge', 'getTaskStatus', 'isHealthy', 'close'];
  return (
    methods.every((name) => typeof candidate[name] === 'function') &&
    typeof candidate.dlq === 'object' &&
    candidate.dlq !== null &&
    typeof candidate.config === 'object'
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
