/** Options every Turbine error accepts. */
export interface TurbineErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
}

/**
 * Base class of every error Turbine throws. Each subclass has a stable `code`, so callers can
 * branch on it even after the error crossed a process boundary and was rebuilt.
 */
export class TurbineError extends Error {
  /** Stable machine-readable code, e.g. `TASK_FAILED`. */
  readonly code: string = 'TURBINE_ERROR';

  constructor(message: string, options?: TurbineErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
