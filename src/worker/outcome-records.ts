import type { Delivery } from '../brokers/broker.js';
import type { SerializedError } from '../errors/serialize-error.js';
import type { ResultRecord } from '../protocol/result-record.js';
import type { TaskState } from '../protocol/task-state.js';

/** The run facts a result record carries beyond the envelope. */
export interface RunFacts {
  state: TaskState;
  attempts: number;
  ttlMs: number;
  workerId: string;
  finishedAt: number;
  startedAt?: number;
  result?: unknown;
  error?: SerializedError;
  reason?: string;
}

/** The result record of a delivery's outcome. */
export function outcomeRecord(delivery: Delivery, facts: RunFacts): ResultRecord {
  // The facts object becomes the record (no copy: this runs once per task on the hot path).
  const envelope = delivery.envelope;
  const record = facts as ResultRecord;
  record.id = delivery.id;
  record.name = envelope?.name ?? '';
  record.queue = delivery.queue;
  record.createdAt = envelope?.createdAt ?? facts.finishedAt;
  if (envelope?.tenantId !== undefined) record.tenantId = envelope.tenantId;
  return record;
}
