import { createRequire } from 'node:module';

/**
 * A loader that requires a CommonJS package or a builtin on its first call and keeps it. What only
 * some apps use (a broker's driver, the toml parser, zlib) then costs the others no memory, and the
 * call stays synchronous, so a constructor that needs the package (`new Turbine()`) does too.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(specifier) as T);
}
