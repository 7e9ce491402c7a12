// The embedded broker's code, which `create-transport.ts` imports once an app uses it: the build
// puts it in a module of its own, which a process on Redis never loads (30-40 KB of its heap).
import { SqliteResultBackend } from '../../backends/sqlite-result-backend.js';
import type { ResultBackend } from '../../backends/result-backend.js';
import { ConfigError } from '../../errors/config-error.js';
import { SqliteBroker } from './sqlite-broker.js';
// Not used here: it makes this module reach all the code of the app's own chunk, so esbuild puts
// the code both share in that chunk instead of splitting it into small ones that every process
// would load, at ~16 KB of heap each (scripts/build.mjs holds the count to a budget).
import '../../app/turbine.js';

/**
 * Opens the SQLite broker at `path` and, with `sharedBackend`, a result backend on its connection.
 * @throws ConfigError naming `broker.url` and the file when it cannot be opened.
 */
export function openSqliteTransport(
  path: string,
  sharedBackend: boolean,
): { broker: SqliteBroker; backend: ResultBackend | undefined } {
  const broker = opening('broker.url', path, () => new SqliteBroker({ path, writesRecords: sharedBackend }));
  return {
    broker,
    backend: sharedBackend ? new SqliteResultBackend({ database: broker.database }) : undefined,
  };
}

/**
 * Opens a SQLite result backend of its own (the broker is elsewhere).
 * @throws ConfigError naming `backend.url` and the file when it cannot be opened.
 */
export function openSqliteBackend(path: string): ResultBackend {
  return opening('backend.url', path, () => new SqliteResultBackend({ path }));
}

function opening<T>(key: string, path: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${key}: cannot open the SQLite database ${path} (${reason})`, { cause: error });
  }
}
