import { TurbineError, type TurbineErrorOptions } from './turbine-error.js';

/**
 * Thrown by `AsyncResult.get()` for a revoked or expired task, and the `signal.reason` of a
 * running task that was revoked.
 */
export class TaskRevokedError extends TurbineError {
  override readonly code: string = 'TASK_REVOKED';
  readonly taskId: string;
  /** `'revoked'` or `'expired'`. */
  readonly reason: string;

  constructor(taskId: string, reason = 'revoked', options?: TurbineErrorOptions) {
    super(
      `task ${taskId} was ${reason === 'expired' ? 'not started before it expired' : 'revoked'}`,
      options,
    );
    this.taskId = taskId;
    this.reason = reason;
  }
}
