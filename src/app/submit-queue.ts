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
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.waiting.length > 0) {
      const batch = this.take();
      try {
        const outcomes = await this.enqueue(batch.flatMap((entry) => entry.messages));
        let offset = 0;
        for (const entry of batch) {
          entry.resolve(outcomes.slice(offset, offset + entry.messages.length));
          offset += entry.messages.length;
        }
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.busy = false;
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
