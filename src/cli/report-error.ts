import { CommanderError, type Command } from 'commander';
import { oneLine } from './output.js';

/** What to print and which exit code to use for a failure. */
export interface ErrorReport {
  /** The one line for stderr, without the `turbine: ` prefix; undefined when nothing is printed. */
  line: string | undefined;
  exitCode: number;
}

/**
 * Turns anything a command threw into one line and an exit code. Commander's own outcomes keep
 * their code (help and version exit 0 and print nothing more); everything else exits 1.
 * @param missingCommandOf the command whose help commander showed because a subcommand was missing
 */
export function describeFailure(error: unknown, missingCommandOf?: Command): ErrorReport {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return { line: undefined, exitCode: 0 };
    if (error.code === 'commander.help') {
      const path = missingCommandOf ? commandPath(missingCommandOf) : 'turbine';
      return { line: `missing command; run '${path} --help' to list them`, exitCode: error.exitCode || 1 };
    }
    return { line: oneLine(error.message.replace(/^error:\s*/i, '')), exitCode: error.exitCode || 1 };
  }
  if (error instanceof Error) {
    const message = oneLine(error.message) || error.name;
    // Our own errors read as sentences; a bare TypeError or the like says what it is.
    const known = 'code' in error && typeof error.code === 'string';
    const plain = error.name === 'Error' || known;
    return { line: plain ? message : `${error.name}: ${message}`, exitCode: 1 };
  }
  return { line: oneLine(String(error)), exitCode: 1 };
}

/** `turbine dlq`, from a command and its parents. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
