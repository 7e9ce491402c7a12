import type { Broker, StartMark } from '../brokers/broker.js';
import type { Attempt } from './executor.js';

/** How long a task runs before it shows as STARTED: tasks that end sooner never cost a write. */
export const START_MARK_DELAY_MS = 10;

/**
 * Reports running tasks as STARTED, in batches, once they have run for {@link START_MARK_DELAY_MS}.
 * Most tasks of a busy worker end sooner and cost nothing; one timer serves them all. It looks at
 * the worker's running attempts when the timer fires rather than keeping its own list: a list
 * would hold every finished attempt for 10 ms, long enough for the garbage collector to promote
 * them all to the old generation on a busy worker.
 */
export class StartReporter {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly broker: Broker,
    private readonly workerId: string,
    private readonly clock: () => number,
    /** The attempts running now. */
    private readonly running: () => Iterable<Attempt>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Notes that an attempt started (its `startedAt` set). */
  started(): void {
    if (!this.stopped) this.timer ??= this.schedule(START_MARK_DELAY_MS);
  }

  /** Reports nothing more. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.clock();
    const cutoff = now - START_MARK_DELAY_MS;
    const marks: StartMark[] = [];
    let nextDue = Infinity;
    for (const attempt of this.running()) {
      const { startedAt } = attempt;
      if (startedAt === undefined || attempt.startReported) continue;
      if (startedAt <= cutoff) {
        attempt.startReported = true;
        marks.push({ delivery: attempt.delivery, startedAt });
      } else {
        nextDue = Math.min(nextDue, startedAt + START_MARK_DELAY_MS);
      }
    }
    if (marks.length > 0) this.broker.markStarted(marks, this.workerId).catch(this.onError);
    if (nextDue !== Infinity) this.timer = this.schedule(nextDue - now);
  }

  private schedule(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.flush(), Math.max(1, ms));
    timer.unref();
    return timer;
  }
}
