import type { Envelope } from '../protocol/envelope.js';
import type { ResultRecord } from '../protocol/result-record.js';
import type { DlqEntry } from '../dlq/dlq-entry.js';

/** How long a revocation is remembered for a message that may still surface (and the idempotency window of a task without `resultTtlMs`). */
export const REVOCATION_MEMORY_MS = 24 * 3_600_000;

/** A message to put on a queue. */
export interface OutgoingMessage {
  envelope: Envelope;
  /** Epoch ms before which it must not be delivered; absent or past means ready now. */
  dueAt?: number;
}

/** The broker's answer to one enqueued message. */
export interface EnqueueOutcome {
  /** The id that now stands for this submission. */
  id: string;
  /** True when an earlier submission with the same idempotency key was found and nothing was enqueued. */
  duplicate: boolean;
}

/** One leased message handed to a worker. */
export interface Delivery {
  id: string;
  queue: string;
  /** The decoded message, or undefined when its bytes are missing or not an envelope. */
  envelope: Envelope | undefined;
  /** The stored bytes when they could not be decoded (for the DLQ entry). */
  raw?: string;
  /** Why the message could not be decoded. */
  problem?: string;
  /** How many times it was delivered without an outcome, this delivery included. */
  deliveries: number;
  /** Delivered more than `maxDeliveries` times: it must go to the DLQ, not run. */
  poisoned: boolean;
  /** Revoked before it started: it must be settled as REVOKED, not run. */
  revoked: boolean;
}

/** What a worker asks for when it has free slots. */
export interface ClaimRequest {
  queues: readonly string[];
  /** Upper bound on messages returned. */
  max: number;
  workerId: string;
  leaseMs: number;
  maxDeliveries: number;
  /**
   * Settlements to store first, in the same round trip where the broker can (a busy worker acks
   * what it finished as it asks for more). When the claim fails, none is known to be stored.
   */
  settle?: readonly Settlement[];
}

/** The answer to a claim. */
export interface ClaimResult {
  deliveries: Delivery[];
  /** Epoch ms when a delayed message falls due or a lease expires, if any: the latest time to look again. */
  nextWakeAt: number | undefined;
}

/** Where a message stands in the broker, for state queries while no final result exists. */
export interface MessageLocation {
  queue: string;
  state: 'PENDING' | 'RECEIVED' | 'STARTED' | 'RETRY';
  envelope: Envelope | undefined;
  startedAt?: number;
  workerId?: string;
}

/** A chord member's success, counted atomically with its settlement (once per member, whatever the redeliveries). */
export interface ChordJoin {
  chordId: string;
  index: number;
  size: number;
  /** The member's result as JSON text. */
  resultJson: string;
  /** Lifetime of the chord's bookkeeping, in ms. */
  ttlMs: number;
  /**
   * The body to enqueue when the last member joins. Its envelope text is
   * `prefix + '[' + results in index order joined by ',' + ']' + suffix` when `prefix` is set
   * (the results array becomes the first argument), else `envelope` as is (an immutable body).
   */
  body: {
    id: string;
    queue: string;
    priority: number;
    dueAt?: number;
    prefix?: string;
    suffix?: string;
    envelope?: string;
  };
}

/** A chord member's final failure: the body fails once, into the DLQ, whatever the number of failed members. */
export interface ChordFailure {
  chordId: string;
  ttlMs: number;
  body: { id: string; queue: string; entry: DlqEntry; record: ResultRecord };
}

/** What an outcome does to the rest of its workflow, in the same atomic step. */
export interface WorkflowEffects {
  /** Next steps to enqueue (a chain's next task, a group's members). */
  followUps?: OutgoingMessage[];
  chordJoin?: ChordJoin;
  chordFailure?: ChordFailure;
  /** More result records to write: steps that will never run because this one failed, items of a batch. */
  records?: ResultRecord[];
  /** More DLQ entries: items of a batch that failed for good. */
  deadLetters?: DlqEntry[];
}

/** How a worker ends its hold on one delivery. */
export type Settlement =
  /** The attempt ended for good (success, failure without retries, revoked, expired): remove the message. */
  | {
      kind: 'complete';
      delivery: Delivery;
      record: ResultRecord | undefined;
      effects?: WorkflowEffects;
    }
  /** Run again later: `envelope` carries the incremented attempt. */
  | { kind: 'retry'; delivery: Delivery; envelope: Envelope; dueAt: number; record: ResultRecord | undefined }
  /** Move to the dead-letter queue. */
  | {
      kind: 'dead';
      delivery: Delivery;
      entry: DlqEntry;
      record: ResultRecord | undefined;
      effects?: WorkflowEffects;
    }
  /** Give back unstarted or unfinished: visible again at once, not counted as a delivery. */
  | { kind: 'release'; delivery: Delivery };

/** Counts for one queue. */
export interface QueueStats {
  name: string;
  waiting: number;
  delayed: number;
  active: number;
  dlq: number;
}

/** A handle that stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/** Control messages workers listen to. */
export interface ControlMessage {
  kind: 'revoke';
  id: string;
}

/** A delivery running since `startedAt`, to be shown as STARTED. */
export interface StartMark {
  delivery: Delivery;
  startedAt: number;
}

/**
 * The contract every broker fulfils (Redis, embedded SQLite, later others); the conformance suite
 * in `test/conformance/` proves an implementation. Every operation is atomic per message: nothing
 * is lost or duplicated by a crash between two calls.
 */
export interface Broker {
  /** Short name of the technology, e.g. `'redis'`. */
  readonly kind: string;
  /**
   * True when `settle` and `revoke` also write the result records, in the same atomic step (the
   * result backend lives in the same store). When false the caller stores records first.
   */
  readonly writesRecords: boolean;
  /** Stores messages (ready or delayed), honouring idempotency keys; the whole list in one round trip. */
  enqueue(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]>;
  /** Leases up to `max` due messages, highest priority first, FIFO within a priority. */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Resolves when new work may be available, at `untilMs` at the latest, or when `signal` aborts.
   * With `then`, the broker may also claim right as the wait ends, in the same round trip, and
   * resolve with what it claimed; undefined means it did not, and the caller claims itself.
   */
  waitForWork(
    queues: readonly string[],
    untilMs: number,
    signal: AbortSignal,
    then?: ClaimRequest,
  ): Promise<ClaimResult | undefined>;
  /**
   * Notes that deliveries run on `workerId` (state STARTED). The marks are sent before this returns,
   * so a later `settle` of the same delivery from the same broker always lands after them.
   */
  markStarted(marks: readonly StartMark[], workerId: string): Promise<void>;
  /** Pushes the lease deadline of held deliveries to now + `leaseMs`. */
  extendLeases(deliveries: readonly Delivery[], leaseMs: number): Promise<void>;
  /** Ends the hold on deliveries, recording their outcome and results atomically with the removal. */
  settle(settlements: readonly Settlement[]): Promise<void>;
  /** Revokes a task: an unstarted one never runs (REVOKED at once), a running one is told via control messages. */
  revoke(id: string, record: ResultRecord | undefined): Promise<void>;
  /** Finds a task that has no final result yet. */
  locate(id: string, queueHint?: string): Promise<MessageLocation | undefined>;
  /** Delivers control messages (revocations) to `handler` until unsubscribed. */
  subscribeControl(handler: (message: ControlMessage) => void): Promise<Unsubscribe>;
  /** Counts per known queue. */
  queueStats(): Promise<QueueStats[]>;
  /** Removes every waiting and delayed message of a queue; returns how many. */
  purge(queue: string): Promise<number>;
  /** Dead-letter queue storage. */
  readonly dlq: DlqStore;
  /** True while the connection to the broker is usable. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

/** DLQ storage, served by the broker so that moving a message there is atomic with its removal. */
export interface DlqStore {
  list(options: { queue?: string; limit: number; offset: number }): Promise<DlqEntry[]>;
  get(id: string): Promise<DlqEntry | undefined>;
  /** Entries per queue. */
  stats(): Promise<Record<string, number>>;
  /** Atomically removes entry `id` and enqueues `message`; false when there was no such entry. */
  replay(id: string, message: OutgoingMessage): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /** Removes every entry (of one queue when given); returns how many. */
  purge(queue?: string): Promise<number>;
}
