/** Every state a task can be in, in the order it usually passes through them. */
export const TASK_STATES = [
  'PENDING',
  'RECEIVED',
  'STARTED',
  'RETRY',
  'SUCCESS',
  'FAILURE',
  'REVOKED',
] as const;

/** The state of one task. */
export type TaskState = (typeof TASK_STATES)[number];

/** States after which nothing more happens to a task. */
export function isFinalState(state: TaskState): boolean {
  return state === 'SUCCESS' || state === 'FAILURE' || state === 'REVOKED';
}
