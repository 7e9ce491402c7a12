import type Database from 'better-sqlite3';
import type { MessageLocation, QueueStats } from '../broker.js';
import { decodeEnvelope } from '../../protocol/codec.js';
import type { Envelope } from '../../protocol/envelope.js';

/** Read-only queries of the SQLite broker: plain autocommit reads, which WAL never blocks. */
export interface QueueReads {
  /** Where message `id` stands, the twin of `RedisBroker.locate`. */
  locate(id: string): MessageLocation | undefined;
  /** Counts of every known queue, by name. */
  queueStats(): QueueStats[];
}

interface LocatedRow {
  queue: string;
  state: 'ready' | 'delayed' | 'leased';
  worker_id: string | null;
  started_at: number | null;
  envelope: string | null;
}

/** Prepares the statements behind {@link QueueReads}. */
export function prepareQueueReads(db: Database.Database): QueueReads {
  const find = db.prepare<[string], LocatedRow>(
    'SELECT queue, state, worker_id, started_at, envelope FROM messages WHERE id = ?',
  );
  const names = db.prepare<[], string>('SELECT name FROM queues ORDER BY name').pluck();
  const messageCounts = db.prepare<[], { queue: string; state: LocatedRow['state']; n: number }>(
    // Each half counts from the partial index that holds its messages (003-partial-indexes.sql).
    `SELECT queue, 'ready' AS state, count(*) AS n FROM messages WHERE state = 'ready' GROUP BY queue
     UNION ALL
     SELECT queue, state, count(*) AS n FROM messages WHERE visible_at IS NOT NULL GROUP BY queue, state`,
  );
  const dlqCounts = db.prepare<[], { queue: string; n: number }>(
    'SELECT queue, count(*) AS n FROM dlq GROUP BY queue',
  );

  return {
    locate(id) {
      const row = find.get(id);
      if (!row) return undefined;
      const envelope = tryDecode(row.envelope);
      const { queue } = row;
      if (row.state === 'leased') {
        if (row.started_at === null) return { queue, state: 'RECEIVED', envelope };
        return {
          queue,
          state: 'STARTED',
          envelope,
          workerId: row.worker_id ?? '',
          startedAt: row.started_at,
        };
      }
      // As in Redis, a retry is RETRY while it waits out its backoff and PENDING once due.
      const retrying = row.state === 'delayed' && (envelope?.attempt ?? 1) > 1;
      return { queue, state: retrying ? 'RETRY' : 'PENDING', envelope };
    },
    queueStats() {
      const stats = new Map<string, QueueStats>();
      for (const name of names.all()) stats.set(name, { name, waiting: 0, delayed: 0, active: 0, dlq: 0 });
      for (const { queue, state, n } of messageCounts.all()) {
        const entry = stats.get(queue);
        if (!entry) continue;
        if (state === 'ready') entry.waiting = n;
        else if (state === 'delayed') entry.delayed = n;
        else entry.active = n;
      }
      for (const { queue, n } of dlqCounts.all()) {
        const entry = stats.get(queue);
        if (entry) entry.dlq = n;
      }
      return [...stats.values()];
    },
  };
}

function tryDecode(raw: string | null): Envelope | undefined {
  if (raw === null) return undefined;
  try {
    return decodeEnvelope(raw);
  } catch {
    return undefined;
  }
}
