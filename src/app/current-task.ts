import { AsyncLocalStorage } from 'node:async_hooks';
import { TurbineError } from '../errors/turbine-error.js';

/** What a running task can learn about itself. */
export interface TaskContext {
  id: string;
  name: string;
  /** 1 on the first run. */
  attempt: number;
  /** `attempt − 1`. */
  retries: number;
  queue: string;
  tenantId: string | undefined;
  headers: Readonly<Record<string, string>>;
  /** Aborts at `softTimeout` (reason `SoftTimeLimitExceeded`), on revoke (`TaskRevokedError`) and at the hard timeout. */
  signal: AbortSignal;
  /** Reports progress; the worker emits it as a `task:progress` event. */
  progress(value: unknown): void;
}

/** @internal The store the worker runs each task in. */
export const taskContextStorage = new AsyncLocalStorage<TaskContext>();

/**
 * The context of the task being run, from anywhere in its call tree.
 * @throws TurbineError when called outside a task.
 * @example
 * const send = app.task('send', async (to: string) => {
 *   const { attempt, signal } = currentTask();
 *   await fetch(url, { signal });
 * });
 */
export function currentTask(): TaskContext {
  const context = taskContextStorage.getStore();
  if (!context) throw new TurbineError('currentTask() was called outside a running task');
  return context;
}
