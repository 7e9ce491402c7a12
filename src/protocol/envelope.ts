/** Version of the envelope layout written by this release (docs/protocol.md). */
export const ENVELOPE_VERSION = 1;

/** Links that make a task a step of a workflow (docs/workflows.md). */
export interface WorkflowLinks {
  /** Signatures to run after this task succeeds, the first receiving its result. */
  chain?: EnvelopeSignature[];
  /** This task is member `index` of chord `chordId`. */
  chord?: { id: string; index: number; size: number; body: EnvelopeSignature };
  /** This task is member `index` of group `groupId` of `size` members. */
  group?: { id: string; index: number; size: number };
}

/** A task call as carried inside a workflow link: enough to enqueue it later. */
export interface EnvelopeSignature {
  name: string;
  args: unknown[];
  immutable?: boolean;
  options?: {
    queue?: string;
    priority?: number;
    countdownMs?: number;
    maxRetries?: number;
    resultTtlMs?: number;
    taskId?: string;
    headers?: Record<string, string>;
  };
  /** Links of the signature itself (a group or chain nested in the workflow). */
  workflow?: WorkflowLinks;
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
}
