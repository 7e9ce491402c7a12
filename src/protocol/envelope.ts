/** Version of the envelope layout written by this release (docs/protocol.md). */
export const ENVELOPE_VERSION = 1;

/**
 * A task call inside a workflow, resolved by the producer (id, queue, priority… fixed up front) so
 * that any worker can enqueue it later without knowing the task's definition.
 */
export interface WorkflowStep {
  id: string;
  name: string;
  args: unknown[];
  /** `true` for `task.si()`: the parent's result is not prepended to the arguments. */
  immutable?: boolean;
  queue: string;
  priority: number;
  maxRetries: number;
  resultTtlMs: number;
  /** Delay between the parent's end and this step's start. */
  countdownMs?: number;
  headers?: Record<string, string>;
  workflow?: WorkflowLinks;
}

/** A task's place in a chord: its result is header result `index` of chord `id`. */
export interface ChordLink {
  id: string;
  index: number;
  size: number;
  /** Run once with the array of header results prepended, when the last member succeeds. */
  body: WorkflowStep;
}

/** Links that make a task a step of a workflow (docs/workflows.md). */
export interface WorkflowLinks {
  /** Steps enqueued when this task succeeds, each receiving its result (a chain: one; a group: many). */
  next?: WorkflowStep[];
  /** This task ends a member of a chord's header. */
  chord?: ChordLink;
}

/**
 * The message of one task, as stored by every broker. Optional fields are omitted when unset so
 * the common message stays small.
 */
export interface Envelope {
  /** Envelope layout version. */
  v: number;
  id: string;
  name: string;
  args: unknown[];
  queue: string;
  /** 0–255, higher runs first. */
  priority: number;
  /** 1 on the first run; incremented by each retry. */
  attempt: number;
  maxRetries: number;
  /** Epoch ms the task was created. */
  createdAt: number;
  /** Epoch ms before which the task must not start. */
  eta?: number;
  /** Epoch ms after which an unstarted task is revoked with reason `expired`. */
  expires?: number;
  /** How long the result lives after the task ends, in ms. */
  resultTtlMs?: number;
  tenantId?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  workflow?: WorkflowLinks;
  /** A batch message: the task runs once per item, each item with its own id and result. */
  batch?: { items: BatchItem[] };
}

/** One item of a batch message. */
export interface BatchItem {
  id: string;
  args: unknown[];
}
