import type { SerializedError } from '../errors/serialize-error.js';
import { packJson, unpackJson } from './compression.js';
import type { TaskState } from './task-state.js';

/** What a result backend keeps about one task. */
export interface ResultRecord {
  id: string;
  name: string;
  queue: string;
  state: TaskState;
  /** Runs started so far. */
  attempts: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  workerId?: string;
  tenantId?: string;
  /** The value returned by the task (absent when `storeResult` is false or the task failed). */
  result?: unknown;
  error?: SerializedError;
  /** For REVOKED: `'revoked'` or `'expired'`. */
  reason?: string;
  /** How long the record lives after it is written, in ms. */
  ttlMs: number;
}

/** A record as stored: the result value packed apart so large values can be compressed. */
interface StoredRecord extends Omit<ResultRecord, 'result' | 'ttlMs'> {
  r?: string;
  z?: 1;
}

/** Serialises a record; a result over 1 KiB is deflated when that saves 10 % or more. */
export function encodeRecord(record: ResultRecord): string {
  const { result, ttlMs: _ttl, ...rest } = record;
  const stored: StoredRecord = rest;
  if (result !== undefined) {
    const packed = packJson(JSON.stringify(result));
    stored.r = packed.data;
    if (packed.z) stored.z = 1;
  }
  return JSON.stringify(stored);
}

/** Reverses {@link encodeRecord}; `ttlMs` is not stored and comes back as 0. */
export function decodeRecord(raw: string): ResultRecord {
  const { r, z, ...rest } = JSON.parse(raw) as StoredRecord;
  const record: ResultRecord = { ...rest, ttlMs: 0 };
  if (r !== undefined) record.result = JSON.parse(unpackJson(z ? { data: r, z } : { data: r }));
  return record;
}
