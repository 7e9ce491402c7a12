import type { ResultRecord } from '../protocol/result-record.js';

/**
 * Where task states and results live (SPEC §1). Records expire `ttlMs` after they are written.
 * When the backend shares its store with the broker, the broker writes records itself while
 * settling a message, so a result and the removal of its message are one atomic step.
 */
export interface ResultBackend {
  /** Short name of the technology, e.g. `'redis'`. */
  readonly kind: string;
  get(id: string): Promise<ResultRecord | undefined>;
  /** Many records in one round trip, in the order of `ids`. */
  getMany(ids: readonly string[]): Promise<(ResultRecord | undefined)[]>;
  put(records: readonly ResultRecord[]): Promise<void>;
  close(): Promise<void>;
}
