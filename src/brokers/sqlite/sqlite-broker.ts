import type Database from 'better-sqlite3';
import type {
  Broker,
  ClaimRequest,
  ClaimResult,
  ControlMessage,
  Delivery,
  EnqueueOutcome,
  MessageLocation,
  OutgoingMessage,
  QueueStats,
  Settlement,
  StartMark,
  Unsubscribe,
  WorkflowEffects,
} from '../broker.js';
import { REVOCATION_MEMORY_MS } from '../broker.js';
import { QueueRotation } from '../queue-rotation.js';
import { encodeEnvelope } from '../../protocol/codec.js';
import { encodeRecord, type ResultRecord } from '../../protocol/result-record.js';
import { prepareCleanup, type Cleanup } from './cleanup.js';
import { ControlFeed } from './control-feed.js';
import { openSqliteDatabase } from './open-database.js';
import { prepareQueueReads, type QueueReads } from './queue-reads.js';
import type { RecordWrite } from './message-writes.js';
import { SqliteDlqStore } from './sqlite-dlq-store.js';
import {
  prepareTransitions,
  type EffectWrites,
  type EnqueueItem,
  type SettleOp,
  type Transitions,
} from './statements.js';
import { rowToDelivery } from './row-to-delivery.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { WorkWatcher } from './work-watcher.js';

/** Messages per enqueue transaction; the lock is let go between chunks so workers keep claiming. */
const ENQUEUE_CHUNK = 5_000;

/** Options of {@link SqliteBroker}. */
export interface SqliteBrokerOptions {
  /** The database file; created with its folder when missing. See `sqlitePathFromUrl`. */
  path: string;
  /** Write result records while settling (the result backend is this same file). @defaultValue true */
  writesRecords?: boolean;
  /** Injectable clock for tests. @defaultValue Date.now */
  clock?: () => number;
}

/**
 * The embedded broker: one SQLite file (WAL) shared safely by the producers and workers of one
 * machine. Every state transition is one `BEGIN IMMEDIATE` transaction named like its Lua twin
 * (see `statements.ts`), with the same semantics as {@link Broker} on Redis.
 * @example
 * const broker = new SqliteBroker({ path: sqlitePathFromUrl(undefined, process.cwd()) });
 * await broker.enqueue([{ envelope }]);
 * const { deliveries } = await broker.claim({ queues: ['default'], max: 10, workerId, leaseMs: 30_000, maxDeliveries: 5 });
 */
export class SqliteBroker implements Broker {
  readonly kind = 'sqlite';
  readonly writesRecords: boolean;
  readonly dlq: SqliteDlqStore;
  /** The database file. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly tx: Transitions;
  private readonly reads: QueueReads;
  private readonly cleanup: Cleanup;
  private readonly watcher: WorkWatcher;
  private readonly control: ControlFeed;
  private readonly checkpointer: WalCheckpointer;
  private readonly registeredQueues = new Set<string>();
  private readonly rotation = new QueueRotation();
  private closed = false;

  /**
   * Opens (creating and migrating when needed) the database at `options.path`.
   * @throws Error from SQLite when the file cannot be opened, or was written by a newer release.
   */
  constructor(options: SqliteBrokerOptions) {
    this.path = options.path;
    this.writesRecords = options.writesRecords ?? true;
    this.clock = options.clock ?? Date.now;
    this.db = openSqliteDatabase(options.path);
    this.tx = prepareTransitions(this.db);
    this.reads = prepareQueueReads(this.db);
    this.cleanup = prepareCleanup(this.db);
    this.watcher = new WorkWatcher(this.db, this.clock);
    this.control = new ControlFeed(this.db);
    this.checkpointer = new WalCheckpointer(this.db);
    this.dlq = new SqliteDlqStore(this.db, (id, message) => {
      const replayed = this.tx.dlqReplay(this.clock(), id, message);
      if (replayed) this.watcher.notifyLocal();
      return replayed;
    });
  }

  /** The connection, for a `SqliteResultBackend` sharing it (and for tests); closed by {@link close}. */
  get database(): Database.Database {
    return this.db;
  }

  async enqueue(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    const items = messages.map(toEnqueueItem);
    const outcomes: EnqueueOutcome[] = [];
    for (let start = 0; start < items.length; start += ENQUEUE_CHUNK) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const chunk = items.slice(start, start + ENQUEUE_CHUNK);
      const newQueues = this.unregistered(chunk.map((item) => item.queue));
      const stored = this.tx.enqueue(this.clock(), chunk, newQueues);
      this.checkpointer.committed();
      for (const queue of newQueues) this.registeredQueues.add(queue);
      if (stored.some((outcome) => !outcome.duplicate)) this.watcher.notifyLocal();
      outcomes.push(...stored);
    }
    return outcomes;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    if (request.settle?.length) await this.settle(request.settle);
    const { queues, max } = request;
    if (queues.length === 0 || max <= 0) return { deliveries: [], nextWakeAt: undefined };
    this.register(queues);
    const order = this.rotation.next(queues);
    const now = this.clock();
    const outcome = this.tx.claim(now, order, max, request.leaseMs, request.maxDeliveries);
    this.watcher.claimed(outcome.dataVersion);
    this.checkpointer.committed();
    // Another consumer on this connection may take what a full claim left behind.
    if (outcome.rows.length === max) this.watcher.wakeAll();
    try {
      this.cleanup(now);
    } catch {
      // The claim is committed and must reach its worker; cleanup runs again on a later claim.
    }
    return { deliveries: outcome.rows.map(rowToDelivery), nextWakeAt: outcome.nextWakeAt };
  }

  /** Never claims as the wait ends: a claim here is a local call, not a round trip to save. */
  async waitForWork(queues: readonly string[], untilMs: number, signal: AbortSignal): Promise<undefined> {
    if (!this.closed) await this.watcher.wait(queues, untilMs, signal);
    return undefined;
  }

  async markStarted(marks: readonly StartMark[], workerId: string): Promise<void> {
    if (this.closed || marks.length === 0) return;
    this.tx.markStarted(marks.map(({ delivery, startedAt }) => ({ id: delivery.id, workerId, startedAt })));
  }

  async extendLeases(deliveries: readonly Delivery[], leaseMs: number): Promise<void> {
    if (deliveries.length === 0) return;
    this.tx.extendLeases(
      deliveries.map((delivery) => delivery.id),
      this.clock() + leaseMs,
    );
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    const ops = settlements.map((settlement) => this.toSettleOp(settlement));
    const followUpQueues = ops.flatMap((op) =>
      (op.op === 'complete' || op.op === 'dead') && op.effects
        ? op.effects.followUps.map((item) => item.queue)
        : [],
    );
    const newQueues = this.unregistered(followUpQueues);
    const stored = this.tx.settle(this.clock(), ops, newQueues);
    this.checkpointer.committed();
    for (const queue of newQueues) this.registeredQueues.add(queue);
    if (stored > 0 || ops.some((op) => op.op === 'retry' || op.op === 'release')) this.watcher.notifyLocal();
  }

  private toSettleOp(settlement: Settlement): SettleOp {
    const { id, queue } = settlement.delivery;
    switch (settlement.kind) {
      case 'complete': {
        const effects = settlement.effects && this.effectWrites(settlement.effects);
        return { op: 'complete', id, record: this.recordWrite(settlement.record), effects };
      }
      case 'retry': {
        const { envelope, dueAt } = settlement;
        const message = { id, queue, priority: envelope.priority, envelope: encodeEnvelope(envelope), dueAt };
        return { op: 'retry', message, record: this.recordWrite(settlement.record) };
      }
      case 'dead': {
        const { entry } = settlement;
        const record = this.recordWrite(settlement.record);
        const effects = settlement.effects && this.effectWrites(settlement.effects);
        return {
          op: 'dead',
          id,
          queue,
          entry: JSON.stringify(entry),
          failedAt: entry.failedAt,
          record,
          effects,
        };
      }
      case 'release':
        return { op: 'release', id, priority: settlement.delivery.envelope?.priority ?? 0 };
    }
  }

  /**
   * Encodes workflow effects for the settle transaction.
   * @throws Error when a chord body has neither `prefix` nor `envelope`: there would be nothing to enqueue.
   */
  private effectWrites(effects: WorkflowEffects): EffectWrites {
    const { chordJoin, chordFailure } = effects;
    if (chordJoin && !chordJoin.body.prefix && chordJoin.body.envelope === undefined) {
      throw new Error(`chord ${chordJoin.chordId}: its body has neither prefix nor envelope`);
    }
    const records = this.writesRecords
      ? (effects.records ?? []).map((record) => ({
          id: record.id,
          record: { text: encodeRecord(record), ttlMs: record.ttlMs },
        }))
      : [];
    return {
      followUps: (effects.followUps ?? []).map(toEnqueueItem),
      chordJoin,
      chordFailure: chordFailure && {
        chordId: chordFailure.chordId,
        ttlMs: chordFailure.ttlMs,
        body: {
          id: chordFailure.body.id,
          queue: chordFailure.body.queue,
          entry: JSON.stringify(chordFailure.body.entry),
          failedAt: chordFailure.body.entry.failedAt,
          record: this.recordWrite(chordFailure.body.record),
        },
      },
      records,
      deadLetters: (effects.deadLetters ?? []).map((entry) => ({
        id: entry.id,
        queue: entry.queue,
        failedAt: entry.failedAt,
        entry: JSON.stringify(entry),
      })),
    };
  }

  private recordWrite(record: ResultRecord | undefined): RecordWrite | undefined {
    return this.writesRecords && record ? { text: encodeRecord(record), ttlMs: record.ttlMs } : undefined;
  }

  async revoke(id: string, record: ResultRecord | undefined): Promise<void> {
    const now = this.clock();
    const message = JSON.stringify({ kind: 'revoke', id } satisfies ControlMessage);
    this.tx.revoke(now, id, now + REVOCATION_MEMORY_MS, this.recordWrite(record), message);
  }

  async locate(id: string, _queueHint?: string): Promise<MessageLocation | undefined> {
    // Ids are unique across queues here, so the hint Redis needs to search is not needed.
    return this.reads.locate(id);
  }

  async subscribeControl(handler: (message: ControlMessage) => void): Promise<Unsubscribe> {
    return this.control.subscribe(handler);
  }

  async queueStats(): Promise<QueueStats[]> {
    return this.reads.queueStats();
  }

  async purge(queue: string): Promise<number> {
    return this.tx.purge(queue);
  }

  isHealthy(): boolean {
    return !this.closed && this.db.open;
  }

  /** Stops polling, ends waits, stops the checkpoint thread and closes the database; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.control.stopAll();
    this.watcher.wakeAll();
    await this.checkpointer.close();
    this.db.close();
  }

  /** The distinct names among `queues` this connection has not registered yet. */
  private unregistered(queues: readonly string[]): string[] {
    return [...new Set(queues)].filter((queue) => !this.registeredQueues.has(queue));
  }

  private register(queues: readonly string[]): void {
    const names = this.unregistered(queues);
    if (names.length === 0) return;
    this.tx.registerQueues(names);
    for (const name of names) this.registeredQueues.add(name);
  }
}

/** A message as the enqueue transition takes it; follow-ups of a settlement are stored the same way. */
function toEnqueueItem({ envelope, dueAt }: OutgoingMessage): EnqueueItem {
  return {
    id: envelope.id,
    queue: envelope.queue,
    priority: envelope.priority,
    envelope: encodeEnvelope(envelope),
    dueAt,
    idempotencyKey: envelope.idempotencyKey || undefined,
    idempotencyTtlMs: envelope.resultTtlMs ?? REVOCATION_MEMORY_MS,
  };
}
