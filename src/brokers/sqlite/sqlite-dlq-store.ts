import type Database from 'better-sqlite3';
import type { DlqStore, OutgoingMessage } from '../broker.js';
import type { DlqEntry } from '../../dlq/dlq-entry.js';
import { encodeEnvelope } from '../../protocol/codec.js';
import { boundLimit } from './bound-limit.js';
import type { StoredMessage } from './message-writes.js';

/** Replays a DLQ entry atomically; supplied by the broker, which owns the transitions and wakes its waiters. */
export type DlqReplay = (id: string, message: StoredMessage) => boolean;

/** The dead-letter queue in SQLite: the `dlq` table, one row per entry, ordered by failure time. */
export class SqliteDlqStore implements DlqStore {
  private readonly listAll: Database.Statement<[number, number], string>;
  private readonly listQueue: Database.Statement<[string, number, number], string>;
  private readonly getEntry: Database.Statement<[string], string>;
  private readonly counts: Database.Statement<[], { queue: string; n: number }>;
  private readonly removeEntry: (id: string) => boolean;
  private readonly purgeEntries: (queue: string | undefined) => number;

  constructor(
    db: Database.Database,
    private readonly replayEntry: DlqReplay,
  ) {
    const page = `LIMIT ${boundLimit('?')} OFFSET ?`;
    this.listAll = db
      .prepare<[number, number], string>(`SELECT entry FROM dlq ORDER BY failed_at, id ${page}`)
      .pluck();
    this.listQueue = db
      .prepare<[string, number, number], string>(
        `SELECT entry FROM dlq WHERE queue = ? ORDER BY failed_at, id ${page}`,
      )
      .pluck();
    this.getEntry = db.prepare<[string], string>('SELECT entry FROM dlq WHERE id = ?').pluck();
    this.counts = db.prepare<[], { queue: string; n: number }>(
      'SELECT queue, count(*) AS n FROM dlq GROUP BY queue ORDER BY queue',
    );
    const remove = db.prepare<[string]>('DELETE FROM dlq WHERE id = ?');
    const purgeAll = db.prepare<[]>('DELETE FROM dlq');
    const purgeQueue = db.prepare<[string]>('DELETE FROM dlq WHERE queue = ?');
    const removeTx = db.transaction((id: string) => remove.run(id).changes === 1);
    const purgeTx = db.transaction((queue: string | undefined) =>
      queue === undefined ? purgeAll.run().changes : purgeQueue.run(queue).changes,
    );
    this.removeEntry = (id) => removeTx.immediate(id);
    this.purgeEntries = (queue) => purgeTx.immediate(queue);
  }

  /** Entries oldest first (by failure time, then id), of one queue or all. */
  async list(options: { queue?: string; limit: number; offset: number }): Promise<DlqEntry[]> {
    const rows = options.queue
      ? this.listQueue.all(options.queue, options.limit, options.offset)
      : this.listAll.all(options.limit, options.offset);
    return rows.map((raw) => JSON.parse(raw) as DlqEntry);
  }

  async get(id: string): Promise<DlqEntry | undefined> {
    const raw = this.getEntry.get(id);
    return raw === undefined ? undefined : (JSON.parse(raw) as DlqEntry);
  }

  async stats(): Promise<Record<string, number>> {
    const stats: Record<string, number> = {};
    for (const { queue, n } of this.counts.all()) stats[queue] = n;
    return stats;
  }

  /**
   * Removes entry `id`, enqueues `message` (ready, or delayed until its `dueAt`) and deletes the
   * task's old result record, in one transaction.
   * @throws Error when `message` names another queue than the entry's.
   */
  async replay(id: string, message: OutgoingMessage): Promise<boolean> {
    const { envelope } = message;
    return this.replayEntry(id, {
      id,
      queue: envelope.queue,
      priority: envelope.priority,
      envelope: encodeEnvelope(envelope),
      dueAt: message.dueAt,
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.removeEntry(id);
  }

  async purge(queue?: string): Promise<number> {
    return this.purgeEntries(queue);
  }
}
