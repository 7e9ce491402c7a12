import { resolveCallOptions } from '../config/task-options.js';
import { normalizeArgs } from '../protocol/codec.js';
import type { WorkflowLinks, WorkflowStep } from '../protocol/envelope.js';
import { newTaskId } from '../protocol/task-id.js';
import type { AsyncResult } from '../app/async-result.js';
import type { Task } from '../app/task.js';
import { submitWorkflow } from './submit-workflow.js';

/** Per-signature options (`sig.set(...)`). */
export interface SignatureOptions {
  queue?: string;
  priority?: number;
  /** Delay between the parent's end (or the submission) and this step's start. */
  countdown?: number | string;
  headers?: Record<string, string>;
}

/**
 * A task call to run later, inside a workflow or on its own: `task.s(...)` (partial: the parent's
 * result is prepended to the arguments) or `task.si(...)` (immutable: arguments as given).
 * @example
 * await chain(extract.s('source.csv'), transform.s(), load.s()).delay();
 */
export class Signature<Result = unknown> {
  readonly kind = 'signature';
  /** @internal */
  constructor(
    /** @internal */ readonly task: Task<never[], Result>,
    readonly args: readonly unknown[],
    readonly immutable: boolean,
    readonly options: SignatureOptions = {},
  ) {}

  /** The task's name. */
  get name(): string {
    return this.task.name;
  }

  /** A copy with options changed (queue, priority, countdown, headers). */
  set(options: SignatureOptions): Signature<Result> {
    return new Signature(this.task, this.args, this.immutable, { ...this.options, ...options });
  }

  /** Submits this call alone. */
  delay(): Promise<AsyncResult<Result>> {
    return submitWorkflow(this) as Promise<AsyncResult<Result>>;
  }

  /** @internal The step this signature becomes, with its id fixed and its links after it. */
  toStep(workflow: WorkflowLinks | undefined): WorkflowStep {
    const call = resolveCallOptions(this.task.name, this.options, 0);
    const options = this.task.options;
    const step: WorkflowStep = {
      id: newTaskId(),
      name: this.task.name,
      args: normalizeArgs(this.args),
      queue: call.queue ?? options.queue,
      priority: call.priority ?? options.priority,
      maxRetries: options.maxRetries,
      resultTtlMs: options.resultTtlMs,
    };
    if (this.immutable) step.immutable = true;
    if (call.dueAt) step.countdownMs = call.dueAt; // resolved against time 0: the countdown itself
    if (call.headers) step.headers = call.headers;
    if (workflow) step.workflow = workflow;
    return step;
  }
}
