import type { SerializedError } from '../errors/serialize-error.js';

/** Fields every task event carries. */
export interface TaskEventBase {
  id: string;
  name: string;
  queue: string;
  /** 1 on the first run. */
  attempt: number;
  tenantId?: string;
}

/** The local events of a worker, by name (`noun:pastTense`). */
export interface WorkerEvents {
  'task:started': TaskEventBase & { startedAt: number };
  'task:succeeded': TaskEventBase & {
    result: unknown;
    startedAt: number;
    finishedAt: number;
    durationMs: number;
  };
  'task:failed': TaskEventBase & { error: SerializedError; reason: string; finishedAt: number };
  'task:retried': TaskEventBase & { error: SerializedError; retryAt: number };
  'task:revoked': TaskEventBase & { reason: string };
  'task:progress': TaskEventBase & { progress: unknown };
  'worker:started': { workerId: string; queues: string[] };
  'worker:stopped': { workerId: string; released: number };
  'worker:error': { error: Error };
}

/** A listener of event `E`. */
export type WorkerListener<E extends keyof WorkerEvents> = (event: WorkerEvents[E]) => void;
