import type { Broker, Settlement } from '../brokers/broker.js';
import type { ResultRecord } from '../protocol/result-record.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { abortableSleep } from '../util/abortable-sleep.js';

/** A settlement waiting to be stored, and who to tell once it is. */
export interface PendingSettlement {
  settlement: Settlement;
  stored: (() => void) | undefined;
}

const MAX_BATCH = 500;
const RETRY_MS = [50, 100, 250, 500, 1_000, 2_000];

/**
 * Stores settlements in batches ("group commit"). While the worker is busy claiming, a settlement
 * waits until the end of the current turn of the event loop: if the worker claims more work by
 * then, the batch rides along with that claim (one round trip for both, see
 * {@link Settler.takeForClaim}); otherwise, and at once when the worker waits for work, it is
 * stored on its own, and while one batch is in flight the next ones gather. A batch that fails is retried until
 * it lands or the settler is abandoned; the messages stay leased meanwhile, so nothing is lost.
 */
export class Settler {
  private queue: PendingSettlement[] = [];
  private flushing: Promise<void> | undefined;
  private flushScheduled = false;
  private readonly abandon = new AbortController();

  constructor(
    private readonly broker: Broker,
    private readonly backend: ResultBackend,
    private readonly onError: (error: Error) => void,
    /** True while a claim may soon carry settlements; otherwise they are stored at once. */
    private readonly claimMayCarry: () => boolean = () => false,
  ) {}

  /** Number of settlements not yet stored. */
  get size(): number {
    return this.queue.length;
  }

  /** The deliveries still held while their settlement waits. */
  heldDeliveries(): Settlement['delivery'][] {
    return this.queue.map((pending) => pending.settlement.delivery);
  }

  /** Queues a settlement; resolves once it is stored. */
  add(settlement: Settlement): Promise<void> {
    return new Promise((stored) => this.post(settlement, stored));
  }

  /** Queues a settlement and calls `stored` once it is (no promise: this runs once per task). */
  post(settlement: Settlement, stored?: () => void): void {
    this.queue.push({ settlement, stored });
    if (this.claimMayCarry()) this.scheduleFlush();
    else this.flush();
  }

  /** Starts storing what waits now, without waiting for a claim to carry it. */
  flush(): void {
    // Never started when there is nothing to store: the loop must reach its first await before it
    // can end, or `flushing` would keep a settled promise and no flush would start again.
    if (this.queue.length > 0 && !this.abandon.signal.aborted) this.flushing ??= this.flushLoop();
  }

  /**
   * Hands the waiting settlements to a claim that stores them first; the caller reports back with
   * {@link landed} or {@link returned}. Empty when records go to a separate result backend.
   */
  takeForClaim(): PendingSettlement[] {
    if (!this.broker.writesRecords || this.queue.length === 0) return [];
    return this.queue.splice(0, MAX_BATCH);
  }

  /** The claim carrying `batch` succeeded: its settlements are stored. */
  landed(batch: readonly PendingSettlement[]): void {
    for (const pending of batch) pending.stored?.();
  }

  /** The claim carrying `batch` failed: its settlements go back to be stored on their own. */
  returned(batch: readonly PendingSettlement[]): void {
    if (batch.length === 0) return;
    this.queue.unshift(...batch);
    this.scheduleFlush();
  }

  /** While a batch is being stored: resolves once it, and any gathered behind it, are. */
  get storing(): Promise<void> | undefined {
    return this.flushing;
  }

  /** Resolves when everything queued so far is stored. */
  async drain(): Promise<void> {
    for (;;) {
      this.flush();
      if (!this.flushing) return;
      await this.flushing;
    }
  }

  /** Stops retrying failed batches (shutdown with an unreachable broker); their messages will be redelivered. */
  giveUp(): void {
    this.abandon.abort();
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.abandon.signal.aborted) {
        const batch = this.queue.splice(0, MAX_BATCH);
        if (await this.store(batch)) this.landed(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Stores a batch, retrying until it lands (true) or the settler is abandoned (false). */
  private async store(batch: PendingSettlement[]): Promise<boolean> {
    const settlements = settlementsOf(batch);
    for (let failures = 0; ; failures++) {
      try {
        if (!this.broker.writesRecords) {
          const records = settlements.flatMap(recordsOf);
          await this.backend.put(records);
        }
        await this.broker.settle(settlements);
        return true;
      } catch (error) {
        this.onError(error as Error);
        if (this.abandon.signal.aborted) return false;
        await abortableSleep(RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!, this.abandon.signal);
      }
    }
  }
}

/**
 * The settlements of a batch. Built by `push` rather than `map`: on Node 20, `map` returns a packed
 * array until its caller is optimized and a holey one after, and the broker's code that reads the
 * array, optimized for the first kind, was thrown away and compiled again in every fresh worker.
 */
export function settlementsOf(batch: readonly PendingSettlement[]): Settlement[] {
  const settlements: Settlement[] = [];
  for (const pending of batch) settlements.push(pending.settlement);
  return settlements;
}

/** Every result record a settlement writes, its workflow's included. */
function recordsOf(settlement: Settlement): ResultRecord[] {
  if (settlement.kind === 'release') return [];
  const records = settlement.record ? [settlement.record] : [];
  if (settlement.kind === 'retry' || !settlement.effects) return records;
  const { records: more = [], chordFailure } = settlement.effects;
  return [...records, ...more, ...(chordFailure ? [chordFailure.body.record] : [])];
}
