import { createRequire } from 'node:module';

/**
 * The version of the installed turbine-queue package. `package.json` sits two levels above both
 * `src/cli/` (run with tsx) and `dist/cli/` (built), so one relative path serves both.
 */
export function packageVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('../../package.json');
  const version = (pkg as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}
