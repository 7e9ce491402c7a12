import { SoftTimeLimitExceeded } from '../errors/soft-time-limit-exceeded.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import type { LazyAbort } from '../util/lazy-abort.js';

/** Why the worker cut an attempt short from outside: a revoke or a shutdown. */
export class AttemptInterrupted extends Error {
  override name = 'AttemptInterrupted';
  constructor(readonly reason: unknown) {
    super('attempt interrupted');
  }
}

/** An attempt under way: its outcome, and a way to cut it short. */
export interface LimitedRun {
  outcome: Promise<unknown>;
  /** Aborts the task's signal with `reason` and rejects `outcome` at once with {@link AttemptInterrupted}. */
  interrupt(reason: unknown): void;
}

/**
 * Runs `run`, aborting `controller` with `SoftTimeLimitExceeded` at `softTimeoutMs` (the task
 * decides what to do) and failing with `TaskTimeoutError` at `timeoutMs`. Either way of ending
 * early frees the worker's slot at once, whatever the function does next.
 */
export function runWithLimits(
  run: () => unknown,
  controller: LazyAbort,
  limits: { timeoutMs: number; softTimeoutMs: number | undefined; taskName: string },
): LimitedRun {
  let fail: (error: unknown) => void = () => {};
  const outcome = new Promise<unknown>((resolve, reject) => {
    let done = false;
    const finish = (settleWith: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(hard);
      if (soft) clearTimeout(soft);
      settleWith();
    };
    fail = (error) => finish(() => reject(error));
    const abort = (reason: unknown): void => controller.abort(reason);
    const hard = setTimeout(() => {
      const error = new TaskTimeoutError(
        `task "${limits.taskName}" exceeded its timeout of ${limits.timeoutMs} ms`,
      );
      abort(error);
      fail(error);
    }, limits.timeoutMs);
    const soft =
      limits.softTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            abort(
              new SoftTimeLimitExceeded(
                `task "${limits.taskName}" reached its soft timeout of ${limits.softTimeoutMs} ms`,
              ),
            );
          }, limits.softTimeoutMs);
    // Called at once, not on a later tick: one promise less per task, and nothing can interrupt a
    // synchronous start anyway.
    let started: unknown;
    try {
      started = run();
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(started).then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => fail(error),
    );
  });
  return {
    outcome,
    interrupt: (reason) => {
      controller.abort(reason);
      fail(new AttemptInterrupted(reason));
    },
  };
}
