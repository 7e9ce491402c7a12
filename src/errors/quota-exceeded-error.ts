import { TurbineError } from './turbine-error.js';

/** A tenant went over one of its quotas. */
export class QuotaExceededError extends TurbineError {
  override readonly code: string = 'QUOTA_EXCEEDED';
}
