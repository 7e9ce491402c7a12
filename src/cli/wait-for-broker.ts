import type { Turbine } from '../app/turbine.js';
import { brokerLabel } from './broker-label.js';
import { CliError } from './cli-error.js';

/** How long a command waits for the broker connection before giving up. */
export const BROKER_DEADLINE_MS = 3_000;
const POLL_MS = 20;

/**
 * Resolves once the app's broker connection is usable. The SDK reconnects forever and queues
 * commands meanwhile, which suits a long-lived worker but would leave a CLI command hanging on a
 * wrong URL; so a command checks first and fails fast.
 * @throws CliError `cannot reach broker <url>` when the deadline passes first.
 */
export async function waitForBroker(app: Turbine, deadlineMs: number = BROKER_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!app.isHealthy()) {
    if (Date.now() >= deadline) {
      throw new CliError(
        `cannot reach broker ${brokerLabel(app.config.broker.url)} (no connection within ${deadlineMs / 1000}s)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
