import { CliError } from './cli-error.js';

/**
 * Stops a destructive command that was run without `--force`, before it connects anywhere.
 * @param what what would be deleted, e.g. `the waiting and delayed messages of queue "emails"`
 * @throws CliError naming `--force`.
 */
export function confirmForce(force: boolean | undefined, action: string, what: string): void {
  if (force === true) return;
  throw new CliError(`refusing to ${action} without --force (it deletes ${what})`);
}
