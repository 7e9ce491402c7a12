import type { DlqStore } from '../brokers/broker.js';
import { TurbineError } from '../errors/turbine-error.js';
import { ENVELOPE_VERSION, type Envelope } from '../protocol/envelope.js';
import { AsyncResult, type ResultSource } from '../app/async-result.js';
import type { DlqEntry } from './dlq-entry.js';

/** Options of {@link DlqManager.list}. */
export interface DlqListOptions {
  /** Only entries of this queue. @defaultValue every queue */
  queue?: string;
  /** @defaultValue 100 */
  limit?: number;
  /** @defaultValue 0 */
  offset?: number;
}

/**
 * The dead-letter queue (`app.dlq`): tasks that failed for good, kept until removed.
 * @example
 * for (const entry of await app.dlq.list({ queue: 'emails' })) console.log(entry.name, entry.reason);
 * await app.dlq.replay(id);
 */
export class DlqManager {
  /** @internal */
  constructor(
    private readonly store: DlqStore,
    private readonly results: ResultSource,
  ) {}

  /** Entries, oldest first. */
  list(options: DlqListOptions = {}): Promise<DlqEntry[]> {
    const query: { queue?: string; limit: number; offset: number } = {
      limit: options.limit ?? 100,
      offset: options.offset ?? 0,
    };
    if (options.queue !== undefined) query.queue = options.queue;
    return this.store.list(query);
  }

  get(id: string): Promise<DlqEntry | undefined> {
    return this.store.get(id);
  }

  /** Entries per queue, e.g. `{ emails: 3 }`. */
  stats(): Promise<Record<string, number>> {
    return this.store.stats();
  }

  /**
   * Puts the task back on its queue under the same id, attempts reset.
   * @throws TurbineError when there is no such entry, or it was an undecodable message.
   */
  async replay(id: string): Promise<AsyncResult> {
    const entry = await this.store.get(id);
    if (!entry) throw new TurbineError(`no DLQ entry with id ${id}`);
    if (!entry.name)
      throw new TurbineError(`DLQ entry ${id} holds an undecodable message; it cannot be replayed`);
    const envelope: Envelope = entry.envelope
      ? { ...entry.envelope, attempt: 1, createdAt: Date.now() }
      : {
          v: ENVELOPE_VERSION,
          id,
          name: entry.name,
          args: entry.args,
          queue: entry.queue,
          priority: 0,
          attempt: 1,
          maxRetries: 3,
          createdAt: Date.now(),
        };
    delete envelope.eta;
    delete envelope.expires;
    delete envelope.idempotencyKey;
    if (!(await this.store.replay(id, { envelope }))) throw new TurbineError(`no DLQ entry with id ${id}`);
    return new AsyncResult(id, this.results, entry.queue);
  }

  /** @returns false when there was no such entry. */
  remove(id: string): Promise<boolean> {
    return this.store.remove(id);
  }

  /** Removes every entry, or those of one queue; returns how many. */
  purge(options: { queue?: string } = {}): Promise<number> {
    return this.store.purge(options.queue);
  }
}
