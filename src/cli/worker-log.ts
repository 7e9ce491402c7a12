import type { WorkerEvents } from '../events/worker-events.js';
import type { Worker } from '../worker/worker.js';
import type { SerializedError } from '../errors/serialize-error.js';
import { isoTime, oneLine, toJson } from './output.js';

/** Options of {@link attachWorkerLog}. */
export interface WorkerLogOptions {
  /** Leave out task events (worker errors and the stop line are still logged). */
  quiet: boolean;
  /** One JSON object per line instead of text. */
  json: boolean;
  /** Where lines go. @defaultValue stderr */
  write?: (line: string) => void;
}

/**
 * Logs a worker's events, one line each, on stderr (stdout carries only the start line, so it
 * stays machine-readable): `task:succeeded`, `task:failed`, `task:retried`, worker errors, and
 * the stop.
 */
export function attachWorkerLog(worker: Worker, options: WorkerLogOptions): void {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (event: string, text: string, data: object): void => {
    const time = new Date().toISOString();
    write(options.json ? toJson({ time, event, ...data }) : `${time} ${event} ${text}`);
  };
  if (!options.quiet) {
    worker.on('task:succeeded', (e) => log('task:succeeded', `${task(e)} in ${e.durationMs}ms`, e));
    worker.on('task:failed', (e) => log('task:failed', `${task(e)} (${e.reason}): ${error(e.error)}`, e));
    worker.on('task:retried', (e) =>
      log('task:retried', `${task(e)} again at ${isoTime(e.retryAt)}: ${error(e.error)}`, e),
    );
  }
  worker.on('worker:error', (e) =>
    log('worker:error', error(e.error), { error: { name: e.error.name, message: e.error.message } }),
  );
  worker.on('worker:stopped', (e) =>
    log('worker:stopped', `${e.workerId} stopped; ${e.released} unstarted messages given back`, e),
  );
}

function task(event: WorkerEvents['task:succeeded' | 'task:failed' | 'task:retried']): string {
  return `${event.name} ${event.id} queue=${event.queue} attempt=${event.attempt}`;
}

function error(value: SerializedError | Error): string {
  return oneLine(`${value.name}: ${value.message}`);
}
