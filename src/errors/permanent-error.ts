import { TurbineError } from './turbine-error.js';

/**
 * Thrown by a task to fail at once: the attempt is not retried and the task goes to the DLQ.
 * @example
 * if (response.status === 404) throw new PermanentError(`no such user ${id}`);
 */
export class PermanentError extends TurbineError {
  override readonly code: string = 'PERMANENT';
}
