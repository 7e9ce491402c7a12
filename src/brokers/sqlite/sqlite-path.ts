import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../../errors/config-error.js';

/** Where the embedded database lives when no broker URL is configured, relative to the working directory. */
export const DEFAULT_SQLITE_FILE = join('.turbine', 'turbine.db');

const SCHEME = 'sqlite://';

/**
 * Maps a broker URL to the SQLite file it names: none → `.turbine/turbine.db` under `cwd`,
 * `sqlite:///abs/path/file.db` → `/abs/path/file.db`, `sqlite://relative/path.db` → resolved
 * against `cwd`. Percent-escapes are decoded, so `sqlite:///tmp/my%20queue.db` names `my queue.db`.
 * @throws ConfigError when the URL is not a `sqlite://` URL or names no file.
 * @example
 * sqlitePathFromUrl(undefined, '/srv/app'); // '/srv/app/.turbine/turbine.db'
 * sqlitePathFromUrl('sqlite://data/q.db', '/srv/app'); // '/srv/app/data/q.db'
 */
export function sqlitePathFromUrl(url: string | undefined, cwd: string): string {
  if (url === undefined || url === '') return resolve(cwd, DEFAULT_SQLITE_FILE);
  if (!url.startsWith(SCHEME)) {
    throw new ConfigError(
      `broker url '${url}' is not a sqlite:// URL; use sqlite:///abs/path.db or sqlite://relative/path.db`,
    );
  }
  let path: string;
  try {
    path = decodeURIComponent(url.slice(SCHEME.length));
  } catch (error) {
    throw new ConfigError(`broker url '${url}' has a malformed percent-escape`, { cause: error });
  }
  if (path === '' || path === '/') {
    throw new ConfigError(
      `broker url '${url}' names no file; use sqlite:///abs/path.db or sqlite://relative/path.db`,
    );
  }
  return isAbsolute(path) ? path : resolve(cwd, path);
}
