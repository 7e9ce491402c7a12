import type Database from 'better-sqlite3';
import { prepareCleanup, type Cleanup } from '../brokers/sqlite/cleanup.js';
import { expiresAt } from '../brokers/sqlite/message-writes.js';
import { openSqliteDatabase } from '../brokers/sqlite/open-database.js';
import { decodeRecord, encodeRecord, type ResultRecord } from '../protocol/result-record.js';
import type { ResultBackend } from './result-backend.js';

/** Options of {@link SqliteResultBackend}: a file to open, or a connection to share. */
export type SqliteResultBackendOptions =
  | {
      /** The database file; opened (created and migrated when needed) and closed by the backend. */
      path: string;
      /** Injectable clock for tests. @defaultValue Date.now */
      clock?: () => number;
    }
  | {
      /** A connection to share, usually `SqliteBroker.database`; its owner closes it. */
      database: Database.Database;
      /** Injectable clock for tests. @defaultValue Date.now */
      clock?: () => number;
    };

/**
 * Result records in the `results` table of the embedded database, the one the SQLite broker
 * writes records to while settling. A record is invisible once its TTL has passed and deleted by
 * a cleanup that runs at most every few seconds.
 * @example
 * const backend = new SqliteResultBackend({ database: broker.database });
 * const record = await backend.get(taskId);
 */
export class SqliteResultBackend implements ResultBackend {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly ownsDatabase: boolean;
  private readonly clock: () => number;
  private readonly find: Database.Statement<[string, number], string>;
  private readonly write: (now: number, records: readonly ResultRecord[]) => void;
  private readonly cleanup: Cleanup;

  /**
   * Opens `options.path` (creating and migrating it when needed) or shares `options.database`.
   * @throws Error from SQLite when the file cannot be opened, or was written by a newer release.
   */
  constructor(options: SqliteResultBackendOptions) {
    this.ownsDatabase = 'path' in options;
    this.db = 'path' in options ? openSqliteDatabase(options.path) : options.database;
    this.clock = options.clock ?? Date.now;
    this.find = this.db
      .prepare<[string, number], string>('SELECT record FROM results WHERE id = ? AND expires_at > ?')
      .pluck();
    const put = this.db.prepare<[string, string, number]>(
      `INSERT INTO results (id, record, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at`,
    );
    const write = this.db.transaction((now: number, records: readonly ResultRecord[]) => {
      for (const record of records) put.run(record.id, encodeRecord(record), expiresAt(now, record.ttlMs));
    });
    this.write = (now, records) => write.immediate(now, records);
    this.cleanup = prepareCleanup(this.db);
  }

  async get(id: string): Promise<ResultRecord | undefined> {
    const raw = this.find.get(id, this.clock());
    return raw === undefined ? undefined : decodeRecord(raw);
  }

  async getMany(ids: readonly string[]): Promise<(ResultRecord | undefined)[]> {
    const now = this.clock();
    return ids.map((id) => {
      const raw = this.find.get(id, now);
      return raw === undefined ? undefined : decodeRecord(raw);
    });
  }

  async put(records: readonly ResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    const now = this.clock();
    this.write(now, records);
    try {
      this.cleanup(now);
    } catch {
      // The records are written; cleanup runs again on a later put.
    }
  }

  /** Closes the connection when the backend opened it; a shared one is left to its owner. */
  async close(): Promise<void> {
    if (this.ownsDatabase && this.db.open) this.db.close();
  }
}
