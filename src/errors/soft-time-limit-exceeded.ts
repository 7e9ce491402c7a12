import { TurbineError } from './turbine-error.js';

/**
 * The `signal.reason` of a running task at its `softTimeout`: time to save state and stop.
 * Thrown out of the task, it fails the attempt like any error.
 */
export class SoftTimeLimitExceeded extends TurbineError {
  override readonly code: string = 'SOFT_TIME_LIMIT';
}
