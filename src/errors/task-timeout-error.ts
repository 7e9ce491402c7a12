import { TurbineError } from './turbine-error.js';

/** The failure of an attempt that ran past the task's hard `timeout`. */
export class TaskTimeoutError extends TurbineError {
  override readonly code: string = 'TASK_TIMEOUT';
}
