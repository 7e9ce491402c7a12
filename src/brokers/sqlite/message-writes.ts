import type Database from 'better-sqlite3';
import { prepareSequencer, type NextSeq } from './sequence.js';

/** A result record as written: the encoded record and how long it lives. */
export interface RecordWrite {
  text: string;
  ttlMs: number;
}

/** A message as stored: ready now, or delayed until `dueAt`. */
export interface StoredMessage {
  id: string;
  queue: string;
  priority: number;
  /** The encoded envelope. */
  envelope: string;
  /** Epoch ms before which it must not be claimed; absent or past means ready now. */
  dueAt: number | undefined;
}

/** Writes shared by several transitions; they run inside the caller's transaction. */
export interface MessageWrites {
  /** Starts the sequence numbering of one transaction (FIFO within a priority level). */
  sequencer(): NextSeq;
  /** Stores a message as ready (last of its level, by `nextSeq`) or delayed, replacing any message with its id. */
  store(now: number, message: StoredMessage, nextSeq: NextSeq): void;
  /** Writes a result record, replacing any earlier one. */
  putResult(now: number, id: string, record: RecordWrite): void;
  /** Writes a result record unless a live one exists (`SET NX` in Redis). */
  putResultIfAbsent(now: number, id: string, record: RecordWrite): void;
}

/** Prepares the statements behind {@link MessageWrites}. */
export function prepareMessageWrites(db: Database.Database): MessageWrites {
  const sequencer = prepareSequencer(db);
  // Storing an id that exists (a retry) starts it afresh; enqueue refuses existing ids before this.
  const upsert = db.prepare<{
    id: string;
    queue: string;
    state: 'ready' | 'delayed';
    priority: number;
    seq: number;
    visibleAt: number | null;
    envelope: string;
  }>(
    `INSERT INTO messages (id, queue, state, priority, seq, visible_at, envelope)
     VALUES (@id, @queue, @state, @priority, @seq, @visibleAt, @envelope)
     ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, state = excluded.state,
       priority = excluded.priority, seq = excluded.seq, visible_at = excluded.visible_at,
       redeliveries = 0, worker_id = NULL, started_at = NULL, envelope = excluded.envelope`,
  );
  const put = db.prepare<[string, string, number]>(
    `INSERT INTO results (id, record, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at`,
  );
  const putIfAbsent = db.prepare<[string, string, number, number]>(
    `INSERT INTO results (id, record, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at
     WHERE results.expires_at <= ?`,
  );

  return {
    sequencer,
    store(now, message, nextSeq) {
      const delayed = message.dueAt !== undefined && message.dueAt > now;
      upsert.run({
        id: message.id,
        queue: message.queue,
        state: delayed ? 'delayed' : 'ready',
        priority: message.priority,
        seq: delayed ? 0 : nextSeq(message.queue, message.priority),
        visibleAt: delayed ? message.dueAt! : null,
        envelope: message.envelope,
      });
    },
    putResult: (now, id, record) => put.run(id, record.text, expiresAt(now, record.ttlMs)),
    putResultIfAbsent: (now, id, record) =>
      putIfAbsent.run(id, record.text, expiresAt(now, record.ttlMs), now),
  };
}

/** Like Redis `PX`, a record lives at least one millisecond. */
export function expiresAt(now: number, ttlMs: number): number {
  return now + Math.max(1, ttlMs);
}
