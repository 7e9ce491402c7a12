import type { Broker, StartMark } from '../brokers/broker.js';
import type { Attempt } from './executor.js';

/** How long a task runs before it shows as STARTED: tasks that end sooner never cost a write. */
export const START_MARK_DELAY_MS = 10;

/**
 * Reports running tasks as STARTED, in batches, once they have run for {@link START_MARK_DELAY_MS}.
 * Most tasks of a busy worker end sooner and cost nothing; one timer serves them all.
 */
export class StartReporter {
  /** Attempts not yet reported, oldest first. */
  private pending: Attempt[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly workerId: string,
    private readonly clock: () => number,
    /** False once an attempt has ended: its settlement will say more than a mark. */
    private readonly isRunning: (attempt: Attempt) => boolean,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Notes that `attempt` started at its `startedAt`. */
  started(attempt: Attempt): void {
    this.pending.push(attempt);
    this.timer ??= this.schedule(START_MARK_DELAY_MS);
  }

  /** Reports nothing more. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    this.timer = undefined;
    const cutoff = this.clock() - START_MARK_DELAY_MS;
    let due = 0;
    while (due < this.pending.length && this.pending[due]!.startedAt! <= cutoff) due++;
    const marks: StartMark[] = [];
    for (const attempt of this.pending.splice(0, due)) {
      if (this.isRunning(attempt)) marks.push({ delivery: attempt.delivery, startedAt: attempt.startedAt! });
    }
    if (marks.length > 0) this.broker.markStarted(marks, this.workerId).catch(this.onError);
    const next = this.pending[0];
    if (next) this.timer = this.schedule(next.startedAt! + START_MARK_DELAY_MS - this.clock());
  }

  private schedule(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.flush(), Math.max(1, ms));
    timer.unref();
    return timer;
  }
}
