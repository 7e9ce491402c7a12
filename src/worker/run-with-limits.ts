import { SoftTimeLimitExceeded } from '../errors/soft-time-limit-exceeded.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { DeadlineTimer, type Deadline } from '../util/deadline-timer.js';
import type { LazyAbort } from '../util/lazy-abort.js';

/** Every attempt's time limits, on one timer for the process. */
const deadlines = new DeadlineTimer();

/** Why the worker cut an attempt short from outside: a revoke or a shutdown. */
export class AttemptInterrupted extends Error {
  override name = 'AttemptInterrupted';
  constructor(readonly reason: unknown) {
    super('attempt interrupted');
  }
}

/** An attempt under way, which the worker may cut short. */
export interface LimitedRun {
  /** Aborts the task's signal with `reason` and ends the attempt at once with {@link AttemptInterrupted}. */
  interrupt(reason: unknown): void;
}

/** The limits of one attempt. */
export interface Limits {
  timeoutMs: number;
  softTimeoutMs: number | undefined;
}

/** How an attempt ends: exactly one of these is called, always on a later microtask. */
export interface RunCallbacks {
  succeeded(value: unknown): void;
  failed(error: unknown): void;
}

/**
 * Runs `run`, aborting `controller` with `SoftTimeLimitExceeded` at `softTimeoutMs` (the task
 * decides what to do) and failing with `TaskTimeoutError` at `timeoutMs`. Either way of ending
 * early frees the worker's slot at once, whatever the function does next. Callbacks rather than
 * a promise: this runs once per task, and each promise costs (more so under AsyncLocalStorage).
 */
export function runWithLimits(
  run: () => unknown,
  controller: LazyAbort,
  limits: Limits,
  taskName: string,
  callbacks: RunCallbacks,
): LimitedRun {
  return new LimitedAttempt(run, controller, limits, taskName, callbacks);
}

class LimitedAttempt implements LimitedRun {
  private done = false;
  private readonly hard: Deadline;
  private readonly soft: Deadline | undefined;

  constructor(
    run: () => unknown,
    readonly controller: LazyAbort,
    readonly limits: Limits,
    readonly taskName: string,
    private readonly callbacks: RunCallbacks,
  ) {
    this.hard = deadlines.set(limits.timeoutMs, hardTimeout, this);
    this.soft =
      limits.softTimeoutMs === undefined ? undefined : deadlines.set(limits.softTimeoutMs, softTimeout, this);
    // Called at once, not on a later tick: nothing can interrupt a synchronous start anyway.
    let started: unknown;
    try {
      started = run();
    } catch (error) {
      queueMicrotask(() => this.fail(error));
      return;
    }
    Promise.resolve(started).then(
      (value) => this.succeed(value),
      (error: unknown) => this.fail(error),
    );
  }

  interrupt(reason: unknown): void {
    this.controller.abort(reason);
    this.fail(new AttemptInterrupted(reason));
  }

  fail(error: unknown): void {
    if (this.end()) this.callbacks.failed(error);
  }

  private succeed(value: unknown): void {
    if (this.end()) this.callbacks.succeeded(value);
  }

  /** True the first time only. */
  private end(): boolean {
    if (this.done) return false;
    this.done = true;
    deadlines.cancel(this.hard);
    if (this.soft) deadlines.cancel(this.soft);
    return true;
  }
}

function hardTimeout(attempt: LimitedAttempt): void {
  const error = new TaskTimeoutError(
    `task "${attempt.taskName}" exceeded its timeout of ${attempt.limits.timeoutMs} ms`,
  );
  attempt.controller.abort(error);
  attempt.fail(error);
}

function softTimeout(attempt: LimitedAttempt): void {
  attempt.controller.abort(
    new SoftTimeLimitExceeded(
      `task "${attempt.taskName}" reached its soft timeout of ${attempt.limits.softTimeoutMs} ms`,
    ),
  );
}
