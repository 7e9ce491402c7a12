import { TurbineError } from './turbine-error.js';

/** The failure of a chord body whose header had a failed member. */
export class ChordError extends TurbineError {
  override readonly code: string = 'CHORD';
}
