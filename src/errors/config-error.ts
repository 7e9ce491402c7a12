import { TurbineError } from './turbine-error.js';

/** Configuration could not be read or validated; the message names the key. */
export class ConfigError extends TurbineError {
  override readonly code: string = 'CONFIG';
}
