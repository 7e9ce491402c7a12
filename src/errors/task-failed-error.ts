import { TurbineError, type TurbineErrorOptions } from './turbine-error.js';

/** What a remote failure looked like where it happened. */
export interface RemoteErrorInfo {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * Thrown by `AsyncResult.get()` when the task ended in FAILURE. `remote` carries the name,
 * message and stack of the error raised inside the task.
 */
export class TaskFailedError extends TurbineError {
  override readonly code: string = 'TASK_FAILED';
  readonly taskId: string;
  readonly remote: RemoteErrorInfo;

  constructor(taskId: string, remote: RemoteErrorInfo, options?: TurbineErrorOptions) {
    super(`task ${taskId} failed: ${remote.name}: ${remote.message}`, options);
    this.taskId = taskId;
    this.remote = remote;
  }
}
