import { TurbineError } from './turbine-error.js';

/** The failure of a workflow step that never ran because a step before it failed. */
export class ChainError extends TurbineError {
  override readonly code: string = 'CHAIN';
}
