import type { EnqueueOutcome, OutgoingMessage } from '../brokers/broker.js';

interface Waiting {
  messages: readonly OutgoingMessage[];
  resolve: (outcomes: EnqueueOutcome[]) => void;
  reject: (error: unknown) => void;
}

/** Most messages sent in one broker call when submissions were waiting. */
const MAX_MESSAGES_PER_CALL = 5_000;

/**
 * Group commit for submissions: a submission goes to the broker at once when nothing else is
 * under way; submissions made meanwhile gather and go together in the next call. A lone producer
 * pays no extra latency, and many concurrent ones (`Promise.all` of `delay()`s, a web server)
 * share round trips.
 */
export class SubmitQueue {
  private waiting: Waiting[] = [];
  private busy = false;

  constructor(
    private readonly enqueue: (messages: readonly OutgoingMessage[]) => Promise<EnqueueOutcome[]>,
  ) {}

  submit(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    if (!this.busy) return this.send(messages, false);
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
    });
  }

  /**
   * One broker call; once it is answered, the submissions that gathered meanwhile go next. The
   * caller gets the broker's own promise: no wrapper (and no extra turn) on the one-at-a-time path.
   */
  private send(messages: readonly OutgoingMessage[], gathered: boolean): Promise<EnqueueOutcome[]> {
    this.busy = true;
    let call: Promise<EnqueueOutcome[]>;
    try {
      call = this.enqueue(messages);
    } catch (error) {
      call = Promise.reject(error);
    }
    const next = (): void => this.sendNext(gathered);
    call.then(next, next);
    return call;
  }

  /**
   * After an answer. A lone submission leaves the queue idle at once. After a gathered call, the
   * next one leaves on the next turn of the event loop, once the submitters just answered had
   * their turn: a producer keeping N submissions in flight then sends all N in each call, rather
   * than two halves taking turns (half the round trips).
   */
  private sendNext(answeredGathered: boolean): void {
    if (!answeredGathered && this.waiting.length === 0) {
      this.busy = false;
      return;
    }
    setImmediate(() => this.sendWaiting());
  }

  private sendWaiting(): void {
    if (this.waiting.length === 0) {
      this.busy = false;
      return;
    }
    const batch = this.take();
    const messages = batch.length === 1 ? batch[0]!.messages : batch.flatMap((entry) => entry.messages);
    this.send(messages, true).then(
      (outcomes) => {
        let offset = 0;
        for (const entry of batch) {
          entry.resolve(outcomes.slice(offset, offset + entry.messages.length));
          offset += entry.messages.length;
        }
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }

  /** The next submissions to send together: at least one, then as many as fit in one call. */
  private take(): Waiting[] {
    let count = this.waiting[0]!.messages.length;
    let taken = 1;
    while (
      taken < this.waiting.length &&
      count + this.waiting[taken]!.messages.length <= MAX_MESSAGES_PER_CALL
    ) {
      count += this.waiting[taken]!.messages.length;
      taken++;
    }
    return this.waiting.splice(0, taken);
  }
}
