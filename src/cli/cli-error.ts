import { TurbineError } from '../errors/turbine-error.js';

/**
 * A mistake in how the CLI was called (a missing `--force`, a module that exports no app, an
 * unreachable broker): reported as one line, without a stack, and exit code 1.
 */
export class CliError extends TurbineError {
  override readonly code: string = 'CLI';
}
