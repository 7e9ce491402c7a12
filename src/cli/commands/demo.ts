import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DemoFlags } from '../../demo/run-demo.js';
import { CliError } from '../cli-error.js';

/** Registers `turbine demo`: a realistic workload run end to end on in-process workers. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run a sample workload (retries, DLQ, soft timeouts, priorities, delays, chain, chord) on two in-process workers and summarise it',
    )
    .option('--broker <url>', 'broker URL (default: the embedded SQLite file .turbine/turbine.db)')
    .option('--config <file>', 'path of a turbine.toml (default: ./turbine.toml when present)')
    .option('--json', 'print one JSON summary on stdout instead of progress and tables')
    .addHelpText(
      'after',
      '\nNeeds no server: without --broker it runs on the embedded SQLite broker in the working directory.\n' +
        'Uses only the queues demo.fast, demo.io, demo.slow and demo.orders (emptied at the start).\n' +
        'Exits 0 when every task ended as planned (the 404 in the DLQ is planned), 1 otherwise, 130 on Ctrl-C.',
    )
    .action(async (flags: DemoFlags) => {
      // Named here: the SDK would blame TURBINE_CONFIG for a file that is not there.
      if (flags.config !== undefined && (flags.config === '' || !existsSync(resolve(flags.config))))
        throw new CliError(`--config: file not found: ${flags.config}`);
      // Loaded on demand, like the SDK in open-app.ts: the CLI must not load SDK code up front.
      const { runDemo } = await import('../../demo/run-demo.js');
      await runDemo(flags);
    });
}
