import type { ResultRecord } from '../protocol/result-record.js';
import { Later } from '../util/later.js';
import type {
  Broker,
  ClaimRequest,
  ClaimResult,
  ControlMessage,
  Delivery,
  DlqStore,
  EnqueueOutcome,
  MessageLocation,
  OutgoingMessage,
  QueueStats,
  Settlement,
  StartMark,
  Unsubscribe,
} from './broker.js';
import type { DlqEntry } from '../dlq/dlq-entry.js';

/**
 * A broker whose code is still loading: each call goes to it once it is there, and straight to it
 * after. What a caller reads synchronously (`kind`, `writesRecords`) is known beforehand. A broker
 * that failed to open fails every call with the error it threw.
 */
export class DeferredBroker implements Broker {
  readonly dlq: DlqStore;
  private readonly broker: Later<Broker>;

  constructor(
    readonly kind: string,
    readonly writesRecords: boolean,
    broker: Promise<Broker>,
  ) {
    this.broker = new Later(broker);
    this.dlq = new DeferredDlqStore(this.broker.map((opened) => opened.dlq));
  }

  enqueue(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    return this.broker.use((broker) => broker.enqueue(messages));
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.broker.use((broker) => broker.claim(request));
  }

  waitForWork(
    queues: readonly string[],
    untilMs: number,
    signal: AbortSignal,
    then?: ClaimRequest,
  ): Promise<ClaimResult | undefined> {
    return this.broker.use((broker) => broker.waitForWork(queues, untilMs, signal, then));
  }

  markStarted(marks: readonly StartMark[], workerId: string): Promise<void> {
    return this.broker.use((broker) => broker.markStarted(marks, workerId));
  }

  extendLeases(deliveries: readonly Delivery[], leaseMs: number): Promise<void> {
    return this.broker.use((broker) => broker.extendLeases(deliveries, leaseMs));
  }

  settle(settlements: readonly Settlement[]): Promise<void> {
    return this.broker.use((broker) => broker.settle(settlements));
  }

  revoke(id: string, record: ResultRecord | undefined): Promise<void> {
    return this.broker.use((broker) => broker.revoke(id, record));
  }

  locate(id: string, queueHint?: string): Promise<MessageLocation | undefined> {
    return this.broker.use((broker) => broker.locate(id, queueHint));
  }

  subscribeControl(handler: (message: ControlMessage) => void): Promise<Unsubscribe> {
    return this.broker.use((broker) => broker.subscribeControl(handler));
  }

  queueStats(): Promise<QueueStats[]> {
    return this.broker.use((broker) => broker.queueStats());
  }

  purge(queue: string): Promise<number> {
    return this.broker.use((broker) => broker.purge(queue));
  }

  /** Healthy while loading; then as the broker says. */
  isHealthy(): boolean {
    return this.broker.current?.isHealthy() ?? !this.broker.failed;
  }

  /** Closes the broker once it is there; one that failed to open has nothing to close. */
  close(): Promise<void> {
    return this.broker.ifArrived((broker) => broker.close());
  }
}

/** The DLQ store of a {@link DeferredBroker}. */
class DeferredDlqStore implements DlqStore {
  constructor(private readonly store: Later<DlqStore>) {}

  list(options: { queue?: string; limit: number; offset: number }): Promise<DlqEntry[]> {
    return this.store.use((store) => store.list(options));
  }

  get(id: string): Promise<DlqEntry | undefined> {
    return this.store.use((store) => store.get(id));
  }

  stats(): Promise<Record<string, number>> {
    return this.store.use((store) => store.stats());
  }

  replay(id: string, message: OutgoingMessage): Promise<boolean> {
    return this.store.use((store) => store.replay(id, message));
  }

  remove(id: string): Promise<boolean> {
    return this.store.use((store) => store.remove(id));
  }

  purge(queue?: string): Promise<number> {
    return this.store.use((store) => store.purge(queue));
  }
}
