import { TurbineError } from './turbine-error.js';

/**
 * Thrown by a task for a failure worth retrying: it is retried while attempts remain, even when
 * its class is listed in `dontRetryOn`.
 */
export class TransientError extends TurbineError {
  override readonly code: string = 'TRANSIENT';
}
