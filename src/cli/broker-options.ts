import type { Command } from 'commander';

/** The flags every command that talks to a broker accepts. */
export interface BrokerFlags {
  /** Broker URL, over `TURBINE_BROKER_URL` and `turbine.toml`. */
  broker?: string;
  /** Path of a `turbine.toml`. */
  config?: string;
  /** Module exporting the Turbine app. */
  app?: string;
  /** One JSON document on stdout instead of text. */
  json?: boolean;
}

const DEFAULT_APP_HELP =
  'module exporting the Turbine app (as default or `app`); without it an app is built from --broker/--config';

/**
 * Adds `--broker`, `--config`, `--app` and `--json` to `command`. They live on each command
 * rather than the root so they can be written after the verb, where people put them.
 */
export function addBrokerOptions(command: Command, appHelp: string = DEFAULT_APP_HELP): Command {
  return command
    .option('--broker <url>', 'broker URL (overrides TURBINE_BROKER_URL and turbine.toml)')
    .option('--config <file>', 'path of a turbine.toml (default: ./turbine.toml when present)')
    .option('--app <path>', appHelp)
    .option('--json', 'print one JSON document on stdout instead of text');
}
