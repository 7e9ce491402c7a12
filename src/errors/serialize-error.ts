import { ChainError } from './chain-error.js';
import { ChordError } from './chord-error.js';
import { ConfigError } from './config-error.js';
import { PermanentError } from './permanent-error.js';
import { QuotaExceededError } from './quota-exceeded-error.js';
import { SoftTimeLimitExceeded } from './soft-time-limit-exceeded.js';
import { TaskTimeoutError } from './task-timeout-error.js';
import { TransientError } from './transient-error.js';
import { TurbineError } from './turbine-error.js';
import { UnknownTaskError } from './unknown-task-error.js';

/** An error as it is stored in results and DLQ entries. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  cause?: SerializedError;
}

const MAX_CAUSE_DEPTH = 5;

/** Turns anything thrown into a plain object that survives JSON, cause chain included. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'NonError', message: typeof error === 'string' ? error : safeString(error) };
  }
  const out: SerializedError = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') out.code = code;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH)
    out.cause = serializeError(error.cause, depth + 1);
  return out;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const knownClasses: Record<string, new (message: string) => TurbineError> = {
  PermanentError,
  TransientError,
  TaskTimeoutError,
  SoftTimeLimitExceeded,
  QuotaExceededError,
  UnknownTaskError,
  ConfigError,
  ChordError,
  ChainError,
  TurbineError,
};

/** Rebuilds a serialized error; known Turbine classes come back as themselves so `instanceof` works. */
export function deserializeError(data: SerializedError): Error {
  const Known = knownClasses[data.name];
  const error: Error = Known ? new Known(data.message) : new Error(data.message);
  if (!Known) error.name = data.name;
  if (data.stack) error.stack = data.stack;
  if (data.code && !Known) (error as { code?: string }).code = data.code;
  if (data.cause) (error as { cause?: unknown }).cause = deserializeError(data.cause);
  return error;
}
