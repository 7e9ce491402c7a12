import type { Worker } from '../worker/worker.js';

/** Live counts of a demo run, from its workers' events. */
export interface DemoCounts {
  /** Distinct tasks that reached a final state. */
  done: number;
  succeeded: number;
  failed: number;
  revoked: number;
  /** Failed attempts that were scheduled again. */
  retried: number;
}

/** How waiting for the run ended. */
export type WaitOutcome = 'done' | 'deadline' | 'interrupted';

/**
 * Counts what the demo's workers do, from their local events: each task once by id, however many
 * times it was delivered, so a retry or a redelivery never counts a task twice.
 */
export class DemoTracker {
  /** Errors the workers reported (broker trouble, not task failures). */
  readonly workerErrors: Error[] = [];
  /** When the last expected task ended (epoch ms). */
  finishedAt: number | undefined;
  private readonly succeeded = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly revoked = new Set<string>();
  private retried = 0;
  private readonly startOrder = new Map<string, string[]>();
  private readonly seenStarts = new Set<string>();
  private readonly listeners = new Set<(counts: DemoCounts) => void>();

  /** @param total the number of task runs that makes the run complete */
  constructor(readonly total: number) {}

  /** Subscribes to `worker`'s events. */
  attach(worker: Worker): void {
    worker.on('task:started', (e) => {
      if (this.seenStarts.has(e.id)) return;
      this.seenStarts.add(e.id);
      const order = this.startOrder.get(e.queue) ?? [];
      order.push(e.id);
      this.startOrder.set(e.queue, order);
    });
    worker.on('task:succeeded', (e) => this.end(this.succeeded, e.id));
    worker.on('task:failed', (e) => this.end(this.failed, e.id));
    worker.on('task:revoked', (e) => this.end(this.revoked, e.id));
    worker.on('task:retried', () => {
      this.retried += 1;
      this.changed();
    });
    worker.on('worker:error', (e) => this.workerErrors.push(e.error));
  }

  /** The counts so far. */
  get counts(): DemoCounts {
    const { succeeded, failed, revoked } = this;
    return {
      done: succeeded.size + failed.size + revoked.size,
      succeeded: succeeded.size,
      failed: failed.size,
      revoked: revoked.size,
      retried: this.retried,
    };
  }

  /** Ids of the tasks that failed for good. */
  get failedIds(): string[] {
    return [...this.failed];
  }

  /** Ids of the tasks of `queue` in the order of their first start. */
  startedIn(queue: string): readonly string[] {
    return this.startOrder.get(queue) ?? [];
  }

  /** Calls `listener` on every change. */
  onChange(listener: (counts: DemoCounts) => void): void {
    this.listeners.add(listener);
  }

  /** Resolves when every expected task ended, at `deadline` (epoch ms), or when `signal` aborts. */
  wait(deadline: number, signal: AbortSignal): Promise<WaitOutcome> {
    return new Promise((resolve) => {
      const finish = (outcome: WaitOutcome): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.listeners.delete(onChange);
        resolve(outcome);
      };
      const onAbort = (): void => finish('interrupted');
      const onChange = (counts: DemoCounts): void => {
        if (counts.done >= this.total) finish('done');
      };
      const timer = setTimeout(() => finish('deadline'), Math.max(0, deadline - Date.now()));
      if (signal.aborted) return finish('interrupted');
      signal.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(onChange);
      onChange(this.counts);
    });
  }

  private end(ids: Set<string>, id: string): void {
    if (ids.has(id)) return;
    ids.add(id);
    if (this.finishedAt === undefined && this.counts.done >= this.total) this.finishedAt = Date.now();
    this.changed();
  }

  private changed(): void {
    const counts = this.counts;
    for (const listener of this.listeners) listener(counts);
  }
}
