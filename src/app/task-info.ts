import type { SerializedError } from '../errors/serialize-error.js';
import type { MessageLocation } from '../brokers/broker.js';
import type { ResultRecord } from '../protocol/result-record.js';
import type { TaskState } from '../protocol/task-state.js';

/** Everything known about one task (SPEC §2, `AsyncResult.info()` and `app.getTaskStatus()`). */
export interface TaskInfo {
  id: string;
  /** Empty for an id nothing is known about. */
  name: string;
  state: TaskState;
  /** Empty for an id nothing is known about. */
  queue: string;
  /** Runs started so far. */
  attempts: number;
  result?: unknown;
  error?: SerializedError;
  /** For REVOKED: `'revoked'` or `'expired'`. */
  reason?: string;
  /** Epoch ms; 0 for an id nothing is known about. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  workerId?: string;
  tenantId?: string;
}

/** Builds the info of a task from its stored record and, while it is unfinished, its place in the broker. */
export function describeTask(
  id: string,
  record: ResultRecord | undefined,
  location: MessageLocation | undefined,
): TaskInfo {
  if (location) {
    const envelope = location.envelope;
    const attempt = envelope?.attempt ?? 1;
    const running = location.state === 'STARTED';
    const info: TaskInfo = {
      id,
      name: envelope?.name ?? record?.name ?? '',
      state: location.state,
      queue: location.queue,
      attempts: running ? attempt : attempt - 1,
      createdAt: envelope?.createdAt ?? record?.createdAt ?? 0,
    };
    if (location.startedAt !== undefined) info.startedAt = location.startedAt;
    if (location.workerId !== undefined) info.workerId = location.workerId;
    if (envelope?.tenantId !== undefined) info.tenantId = envelope.tenantId;
    if (record?.error) info.error = record.error;
    return info;
  }
  if (record) {
    const { ttlMs: _ttl, ...info } = record;
    return info;
  }
  return { id, name: '', state: 'PENDING', queue: '', attempts: 0, createdAt: 0 };
}
