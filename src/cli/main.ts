import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerDlq } from './commands/dlq.js';
import { registerPurge } from './commands/purge.js';
import { registerQueues } from './commands/queues.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';
import { describeFailure } from './report-error.js';
import { packageVersion } from './version.js';

/** Options of {@link main}. */
export interface MainOptions {
  /**
   * After a failure was reported and the app closed, exit the process should anything still hold
   * it open. ioredis keeps a 2 s timer per socket that never connected, so an unreachable broker
   * would otherwise delay the exit; leave this on except when embedding `main` in a process that
   * must outlive it.
   * @defaultValue true
   */
  exitAfterError?: boolean;
}

/** How long a failed run may linger before it is made to exit. */
const EXIT_GRACE_MS = 100;

/**
 * Runs the `turbine` command line. Never throws: any failure prints one line, `turbine: <message>`,
 * on stderr and sets a non-zero `process.exitCode`; help and version exit 0.
 * @param argv the full `process.argv` (node, script, then the arguments)
 * @example
 * await main(process.argv);
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<void> {
  let helpShownFor: Command | undefined;
  const program = buildProgram((command) => (helpShownFor = command));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const { line, exitCode } = describeFailure(error, helpShownFor);
    if (line !== undefined) process.stderr.write(`turbine: ${line}\n`);
    process.exitCode = exitCode;
    // unref: the timer fires only if something else still keeps the process alive.
    if (exitCode !== 0 && options.exitAfterError !== false) {
      setTimeout(() => process.exit(exitCode), EXIT_GRACE_MS).unref();
    }
  }
}

/**
 * The `turbine` program with every command registered. Commander is told to throw instead of
 * exiting and to print no errors itself, so that `main` reports each failure as one line.
 * @param onErrorHelp told which command's help commander wanted to show for a missing subcommand
 */
export function buildProgram(onErrorHelp: (command: Command) => void = () => undefined): Command {
  const program = new Command('turbine')
    .description(
      'Turbine: a distributed task queue for Node.js — run workers and inspect queues, tasks and the DLQ',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({
      // Errors and error-time help are reported by main() as one line; normal help goes to stdout.
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .showSuggestionAfterError(true);
  program.on('beforeAllHelp', (context: { error: boolean; command: Command }) => {
    if (context.error) onErrorHelp(context.command);
  });
  registerWorker(program);
  registerQueues(program);
  registerStatus(program);
  registerPurge(program);
  registerDlq(program);
  registerDemo(program);
  return program;
}
