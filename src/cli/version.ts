import { createRequire } from 'node:module';

/**
 * The version of the installed turbine-queue package, found by the package's own name (it exports
 * `./package.json`), so the answer does not depend on where this code sits in src/ or the bundle.
 */
export function packageVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('turbine-queue/package.json');
  const version = (pkg as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}
