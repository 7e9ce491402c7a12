import type { ResolvedTaskOptions } from '../config/task-options.js';

/** What a worker needs to run a task by name. */
export interface TaskDefinition {
  name: string;
  options: ResolvedTaskOptions;
  func: (...args: never[]) => unknown;
}

/** Task definitions by name, shared by an app and its workers. */
export type TaskRegistry = ReadonlyMap<string, TaskDefinition>;
