import type Database from 'better-sqlite3';
import type { ChordJoin } from '../broker.js';
import { prepareChords } from './chords.js';
import { prepareClaim, type ClaimOutcome } from './claim.js';
import { prepareMessageWrites, type RecordWrite, type StoredMessage } from './message-writes.js';
import { frontOfLevelSql, type NextSeq } from './sequence.js';

/** A message to enqueue, with the idempotency key and how long that key is remembered. */
export interface EnqueueItem extends StoredMessage {
  idempotencyKey: string | undefined;
  idempotencyTtlMs: number;
}

/** A chord member's final failure as written: the body's DLQ entry and record, encoded. */
export interface ChordFailureWrite {
  chordId: string;
  ttlMs: number;
  body: { id: string; queue: string; entry: string; failedAt: number; record: RecordWrite | undefined };
}

/**
 * `WorkflowEffects` encoded for storage, applied in the settle transaction right after the
 * settlement they come with. Records are present only when the broker writes records.
 */
export interface EffectWrites {
  followUps: readonly EnqueueItem[];
  chordJoin: ChordJoin | undefined;
  chordFailure: ChordFailureWrite | undefined;
  records: readonly { id: string; record: RecordWrite }[];
  deadLetters: readonly { id: string; queue: string; failedAt: number; entry: string }[];
}

/** One settlement, the SQLite twin of a `settle-1.lua` operation ('A', 'R', 'D', 'L'). */
export type SettleOp =
  | { op: 'complete'; id: string; record: RecordWrite | undefined; effects?: EffectWrites }
  | { op: 'retry'; message: StoredMessage; record: RecordWrite | undefined }
  | {
      op: 'dead';
      id: string;
      queue: string;
      entry: string;
      failedAt: number;
      record: RecordWrite | undefined;
      effects?: EffectWrites;
    }
  | { op: 'release'; id: string; priority: number };

/** Every state transition of the SQLite broker, each one `BEGIN IMMEDIATE` transaction. */
export interface Transitions {
  /** Twin of `enqueue-1.lua`: stores messages, honouring idempotency keys. */
  enqueue(
    now: number,
    items: readonly EnqueueItem[],
    newQueues: readonly string[],
  ): { id: string; duplicate: boolean }[];
  /** Twin of `claim-2.lua`: promotes, takes back expired leases, leases ready messages. */
  claim(
    now: number,
    queues: readonly string[],
    max: number,
    leaseMs: number,
    maxDeliveries: number,
  ): ClaimOutcome;
  /**
   * Twin of `settle-1.lua`: ends holds, writes their records and applies their workflow effects
   * (follow-ups, chord joins and failures, extra records and DLQ entries). Returns how many messages the
   * effects stored (follow-ups and chord bodies).
   */
  settle(now: number, ops: readonly SettleOp[], newQueues: readonly string[]): number;
  /** Twin of `revoke-8.lua`; true when the task is running (leased) and stays. */
  revoke(
    now: number,
    id: string,
    rememberUntil: number,
    record: RecordWrite | undefined,
    control: string,
  ): boolean;
  /** Twin of `purge-4.lua`: removes waiting and delayed messages of a queue. */
  purge(queue: string): number;
  /** Twin of `dlq-replay-9.lua`: moves a DLQ entry back onto its queue; false when there is none. */
  dlqReplay(now: number, id: string, message: StoredMessage): boolean;
  /** Notes that leased messages started running (the `started` hash in Redis). */
  markStarted(starts: readonly { id: string; workerId: string; startedAt: number }[]): void;
  /** Pushes lease deadlines of messages still leased (`ZADD leases XX` in Redis). */
  extendLeases(ids: readonly string[], deadline: number): void;
  /** Adds queue names to the known set (`SADD turbine:queues` in Redis). */
  registerQueues(names: readonly string[]): void;
}

/**
 * Prepares every statement once and wraps each transition in an immediate transaction: the
 * write lock is taken up front, so concurrent processes queue on the busy timeout instead of
 * failing when a read would have to upgrade to a write.
 */
export function prepareTransitions(db: Database.Database): Transitions {
  const writes = prepareMessageWrites(db);
  const claimQueue = prepareClaim(db);
  const chords = prepareChords(db);
  const rememberKey = db.prepare<[string, string, number]>(
    `INSERT INTO idempotency (key, id, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET id = excluded.id, expires_at = excluded.expires_at`,
  );
  const findKey = db
    .prepare<[string, number], string>('SELECT id FROM idempotency WHERE key = ? AND expires_at > ?')
    .pluck();
  const registerQueue = db.prepare<[string]>('INSERT OR IGNORE INTO queues (name) VALUES (?)');
  const deleteMessage = db.prepare<[string]>('DELETE FROM messages WHERE id = ?');
  const messageState = db.prepare<[string], string>('SELECT state FROM messages WHERE id = ?').pluck();
  // Given back to the front of its priority level, the latest first, as LPUSH does in Redis.
  const release = db.prepare<{ id: string; priority: number }>(
    `UPDATE messages SET state = 'ready', priority = @priority, visible_at = NULL,
       seq = ${frontOfLevelSql('messages.queue', '@priority')},
       redeliveries = 0, worker_id = NULL, started_at = NULL
     WHERE id = @id`,
  );
  const addDead = db.prepare<[string, string, number, string]>(
    'INSERT OR REPLACE INTO dlq (id, queue, failed_at, entry) VALUES (?, ?, ?, ?)',
  );
  const findDead = db.prepare<[string], string>('SELECT queue FROM dlq WHERE id = ?').pluck();
  const deleteDead = db.prepare<[string]>('DELETE FROM dlq WHERE id = ?');
  const remember = db.prepare<[string, number]>(
    'INSERT INTO revoked (id, until) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET until = excluded.until',
  );
  const publish = db.prepare<[string, number]>('INSERT INTO control (message, created_at) VALUES (?, ?)');
  const deleteResult = db.prepare<[string]>('DELETE FROM results WHERE id = ?');
  const messageExists = db.prepare<[string], number>('SELECT 1 FROM messages WHERE id = ?').pluck();
  // One statement per partial index (003-partial-indexes.sql), so neither scans the table.
  const purgeReady = db.prepare<[string]>("DELETE FROM messages WHERE queue = ? AND state = 'ready'");
  const purgeDelayed = db.prepare<[string]>(
    "DELETE FROM messages WHERE queue = ? AND state = 'delayed' AND visible_at IS NOT NULL",
  );
  const start = db.prepare<[string, number, string]>(
    "UPDATE messages SET worker_id = ?, started_at = ? WHERE id = ? AND state = 'leased'",
  );
  const extend = db.prepare<[number, string]>(
    "UPDATE messages SET visible_at = ? WHERE id = ? AND state = 'leased'",
  );

  /** The body of `enqueue-1.lua` for one message, inside the caller's transaction. */
  const enqueueOne = (
    now: number,
    item: EnqueueItem,
    nextSeq: NextSeq,
  ): { id: string; duplicate: boolean } => {
    if (item.idempotencyKey !== undefined) {
      const existing = findKey.get(item.idempotencyKey, now);
      if (existing !== undefined) return { id: existing, duplicate: true };
      rememberKey.run(item.idempotencyKey, item.id, now + item.idempotencyTtlMs);
    }
    // A task id already stored is a duplicate too: never two copies of one message.
    if (messageExists.get(item.id) !== undefined) return { id: item.id, duplicate: true };
    writes.store(now, item, nextSeq);
    return { id: item.id, duplicate: false };
  };

  const enqueue = db.transaction(
    (now: number, items: readonly EnqueueItem[], newQueues: readonly string[]) => {
      for (const queue of newQueues) registerQueue.run(queue);
      const nextSeq = writes.sequencer();
      return items.map((item) => enqueueOne(now, item, nextSeq));
    },
  );

  const claim = db.transaction(
    (now: number, queues: readonly string[], max: number, leaseMs: number, maxDeliveries: number) =>
      claimQueue(now, queues, max, leaseMs, maxDeliveries),
  );

  const settle = db.transaction((now: number, ops: readonly SettleOp[], newQueues: readonly string[]) => {
    for (const queue of newQueues) registerQueue.run(queue);
    const nextSeq = writes.sequencer();
    let stored = 0;

    /** Applies the workflow effects of one settlement, after the settlement itself. */
    const applyEffects = (effects: EffectWrites): void => {
      for (const item of effects.followUps) {
        if (!enqueueOne(now, item, nextSeq).duplicate) stored += 1;
      }
      const { chordJoin, chordFailure } = effects;
      if (chordJoin) {
        const body = chords.join(now, chordJoin);
        if (body) {
          registerQueue.run(body.queue);
          const item = { ...body, idempotencyKey: undefined, idempotencyTtlMs: 0 };
          if (!enqueueOne(now, item, nextSeq).duplicate) stored += 1;
        }
      }
      if (chordFailure && chords.fail(now, chordFailure.chordId, chordFailure.ttlMs)) {
        const { id, queue, entry, failedAt, record } = chordFailure.body;
        registerQueue.run(queue);
        addDead.run(id, queue, failedAt, entry);
        if (record) writes.putResult(now, id, record);
      }
      for (const { id, record } of effects.records) writes.putResult(now, id, record);
      for (const { id, queue, failedAt, entry } of effects.deadLetters) {
        registerQueue.run(queue);
        addDead.run(id, queue, failedAt, entry);
      }
    };

    for (const op of ops) {
      switch (op.op) {
        case 'complete':
          deleteMessage.run(op.id);
          if (op.record) writes.putResult(now, op.id, op.record);
          if (op.effects) applyEffects(op.effects);
          break;
        case 'retry':
          writes.store(now, op.message, nextSeq);
          if (op.record) writes.putResult(now, op.message.id, op.record);
          break;
        case 'dead':
          deleteMessage.run(op.id);
          addDead.run(op.id, op.queue, op.failedAt, op.entry);
          if (op.record) writes.putResult(now, op.id, op.record);
          if (op.effects) applyEffects(op.effects);
          break;
        case 'release':
          release.run({ id: op.id, priority: op.priority });
          break;
      }
    }
    return stored;
  });

  const revoke = db.transaction(
    (now: number, id: string, rememberUntil: number, record: RecordWrite | undefined, control: string) => {
      remember.run(id, rememberUntil);
      publish.run(control, now);
      const state = messageState.get(id);
      if (state === 'leased') return true;
      if (state !== undefined) {
        deleteMessage.run(id);
        if (record) writes.putResult(now, id, record);
      } else if (record) {
        // No longer queued: record the revocation unless the task already has a result.
        writes.putResultIfAbsent(now, id, record);
      }
      return false;
    },
  );

  const purge = db.transaction(
    (queue: string) => purgeReady.run(queue).changes + purgeDelayed.run(queue).changes,
  );

  const dlqReplay = db.transaction((now: number, id: string, message: StoredMessage) => {
    const queue = findDead.get(id);
    if (queue === undefined) return false;
    if (queue !== message.queue) throw new Error(`replay of ${id} must stay on queue ${queue}`);
    deleteDead.run(id);
    registerQueue.run(queue);
    writes.store(now, message, writes.sequencer());
    deleteResult.run(id);
    return true;
  });

  const markStarted = db.transaction(
    (starts: readonly { id: string; workerId: string; startedAt: number }[]) => {
      for (const { id, workerId, startedAt } of starts) start.run(workerId, startedAt, id);
    },
  );

  const extendLeases = db.transaction((ids: readonly string[], deadline: number) => {
    for (const id of ids) extend.run(deadline, id);
  });

  const registerQueues = db.transaction((names: readonly string[]) => {
    for (const name of names) registerQueue.run(name);
  });

  return {
    enqueue: (...args) => enqueue.immediate(...args),
    claim: (...args) => claim.immediate(...args),
    settle: (...args) => settle.immediate(...args),
    revoke: (...args) => revoke.immediate(...args),
    purge: (...args) => purge.immediate(...args),
    dlqReplay: (...args) => dlqReplay.immediate(...args),
    markStarted: (...args) => markStarted.immediate(...args),
    extendLeases: (...args) => extendLeases.immediate(...args),
    registerQueues: (...args) => registerQueues.immediate(...args),
  };
}
