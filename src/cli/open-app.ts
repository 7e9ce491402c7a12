import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Turbine } from '../app/turbine.js';
import type { TurbineOptions } from '../config/load-config.js';
import type { BrokerFlags } from './broker-options.js';
import { CliError } from './cli-error.js';
import { loadApp } from './load-app.js';
import { waitForBroker } from './wait-for-broker.js';

/**
 * Opens the app a command works on, runs `run` once its broker answers, and always closes the app
 * afterwards, so the process exits on its own whether `run` succeeded or threw.
 * @example
 * await withApp(flags, async (app) => printJson(await app.queues()));
 */
export async function withApp<T>(flags: BrokerFlags, run: (app: Turbine) => Promise<T>): Promise<T> {
  const app = await openApp(flags);
  try {
    await waitForBroker(app);
    return await run(app);
  } finally {
    // A failure to close cannot change what the command did; the outcome (or first error) stands.
    await app.close().catch(() => undefined);
  }
}

/**
 * The app of a command: the module named by `--app` (or, with `requireModule`, the default
 * `./tasks.ts`/`./tasks.js`), else a plain `new Turbine({ broker, config })`, enough for admin
 * commands that run no task code.
 */
export async function openApp(flags: BrokerFlags, requireModule = false): Promise<Turbine> {
  checkConfigFile(flags.config);
  if (flags.app === undefined && !requireModule) {
    const options: TurbineOptions = {};
    if (flags.broker !== undefined) options.broker = flags.broker;
    if (flags.config !== undefined) options.config = flags.config;
    // Loaded on demand: had the CLI loaded the SDK (and so ioredis) before an app module that tsx
    // compiles to CommonJS, tsx would run ioredis a second time over its cached exports and fail.
    const { Turbine } = await import('../app/turbine.js');
    return new Turbine(options);
  }
  applyBrokerEnv(flags);
  return loadApp(flags.app);
}

/**
 * Hands `--broker` and `--config` to an app module through the environment it reads: the module
 * constructs its own Turbine during import, before the CLI could pass it anything.
 */
export function applyBrokerEnv(flags: BrokerFlags): void {
  if (flags.broker !== undefined) process.env.TURBINE_BROKER_URL = flags.broker;
  if (flags.config !== undefined) process.env.TURBINE_CONFIG = resolve(flags.config);
}

/** Names the flag when `--config` points nowhere (the SDK would otherwise blame TURBINE_CONFIG). */
function checkConfigFile(config: string | undefined): void {
  if (config === undefined) return;
  if (config === '' || !existsSync(resolve(config)))
    throw new CliError(`--config: file not found: ${config}`);
}
