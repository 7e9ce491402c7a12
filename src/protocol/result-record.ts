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

/**
 * Serialises a record; a result over 1 KiB is deflated when that saves 10 % or more. Written out
 * field by field rather than through a copied object: this runs once per task on the hot path.
 */
export function encodeRecord(record: ResultRecord): string {
  let text = `{"id":${JSON.stringify(record.id)},"name":${JSON.stringify(record.name)},"queue":${JSON.stringify(record.queue)},"state":"${record.state}","attempts":${record.attempts},"createdAt":${record.createdAt}`;
  if (record.startedAt !== undefined) text += `,"startedAt":${record.startedAt}`;
  if (record.finishedAt !== undefined) text += `,"finishedAt":${record.finishedAt}`;
  if (record.workerId !== undefined) text += `,"workerId":${JSON.stringify(record.workerId)}`;
  if (record.tenantId !== undefined) text += `,"tenantId":${JSON.stringify(record.tenantId)}`;
  if (record.error !== undefined) text += `,"error":${JSON.stringify(record.error)}`;
  if (record.reason !== undefined) text += `,"reason":${JSON.stringify(record.reason)}`;
  if (record.result !== undefined) {
    const packed = packJson(JSON.stringify(record.result));
    text += `,"r":${JSON.stringify(packed.data)}`;
    if (packed.z) text += ',"z":1';
  }
  return `${text}}`;
}

/** Reverses {@link encodeRecord}; `ttlMs` is not stored and comes back as 0. */
export function decodeRecord(raw: string): ResultRecord {
  const { r, z, ...rest } = JSON.parse(raw) as StoredRecord;
  const record: ResultRecord = { ...rest, ttlMs: 0 };
  if (r !== undefined) record.result = JSON.parse(unpackJson(z ? { data: r, z } : { data: r }));
  return record;
}
