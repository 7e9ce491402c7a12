import { TurbineError } from './turbine-error.js';

/** Thrown by `AsyncResult.get()` when no final state arrived within the wait. */
export class TimeoutError extends TurbineError {
  override readonly code: string = 'TIMEOUT';
}
