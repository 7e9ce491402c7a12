import type { Broker, Settlement } from '../brokers/broker.js';
import type { ResultRecord } from '../protocol/result-record.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { abortableSleep } from '../util/abortable-sleep.js';

interface Pending {
  settlement: Settlement;
  stored: (() => void) | undefined;
}

const MAX_BATCH = 500;
const RETRY_MS = [50, 100, 250, 500, 1_000, 2_000];

/**
 * Stores settlements in batches ("group commit"): while one batch is in flight, the next ones
 * gather, so a busy worker settles many tasks per broker round trip and an idle one settles at
 * once. A batch that fails is retried until it lands or the settler is abandoned; the messages
 * stay leased meanwhile, so nothing is lost.
 */
export class Settler {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private readonly abandon = new AbortController();

  constructor(
    private readonly broker: Broker,
    private readonly backend: ResultBackend,
    private readonly onError: (error: Error) => void,
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
    this.flushing ??= this.flushLoop();
  }

  /** Resolves when everything queued so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Stops retrying failed batches (shutdown with an unreachable broker); their messages will be redelivered. */
  giveUp(): void {
    this.abandon.abort();
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.abandon.signal.aborted) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.store(batch);
        for (const pending of batch) pending.stored?.();
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async store(batch: Pending[]): Promise<void> {
    const settlements = batch.map((pending) => pending.settlement);
    for (let failures = 0; ; failures++) {
      try {
        if (!this.broker.writesRecords) {
          const records = settlements.flatMap(recordsOf);
          await this.backend.put(records);
        }
        await this.broker.settle(settlements);
        return;
      } catch (error) {
        this.onError(error as Error);
        if (this.abandon.signal.aborted) return;
        await abortableSleep(RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!, this.abandon.signal);
      }
    }
  }
}

/** Every result record a settlement writes, its workflow's included. */
function recordsOf(settlement: Settlement): ResultRecord[] {
  if (settlement.kind === 'release') return [];
  const records = settlement.record ? [settlement.record] : [];
  if (settlement.kind === 'retry' || !settlement.effects) return records;
  const { records: more = [], chordFailure } = settlement.effects;
  return [...records, ...more, ...(chordFailure ? [chordFailure.body.record] : [])];
}
