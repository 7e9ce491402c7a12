import { TurbineError } from './turbine-error.js';

/** A worker received a message for a task name it does not know. */
export class UnknownTaskError extends TurbineError {
  override readonly code: string = 'UNKNOWN_TASK';
}
