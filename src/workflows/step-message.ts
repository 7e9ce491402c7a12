import type { OutgoingMessage } from '../brokers/broker.js';
import { ENVELOPE_VERSION, type Envelope, type WorkflowStep } from '../protocol/envelope.js';

/** What a step inherits from the task that started it. */
export interface StepContext {
  now: number;
  /** The parent's result, prepended to the step's arguments unless the step is immutable. */
  parentResult?: { value: unknown };
  tenantId?: string;
  headers?: Record<string, string>;
}

/** The envelope of a workflow step, as its parent (or the producer) enqueues it. */
export function stepEnvelope(step: WorkflowStep, context: StepContext): Envelope {
  const args =
    context.parentResult && !step.immutable ? [context.parentResult.value, ...step.args] : step.args;
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    id: step.id,
    name: step.name,
    args,
    queue: step.queue,
    priority: step.priority,
    attempt: 1,
    maxRetries: step.maxRetries,
    createdAt: context.now,
    resultTtlMs: step.resultTtlMs,
  };
  const headers = step.headers ?? context.headers;
  if (headers !== undefined) envelope.headers = headers;
  if (context.tenantId !== undefined) envelope.tenantId = context.tenantId;
  if (step.countdownMs) envelope.eta = context.now + step.countdownMs;
  if (step.workflow) envelope.workflow = step.workflow;
  return envelope;
}

/** The message of a workflow step. */
export function stepMessage(step: WorkflowStep, context: StepContext): OutgoingMessage {
  const envelope = stepEnvelope(step, context);
  return envelope.eta === undefined ? { envelope } : { envelope, dueAt: envelope.eta };
}

/** Every step that can only run after `step` (its next steps, chord bodies, and theirs), once each. */
export function downstreamSteps(
  links: WorkflowStep['workflow'],
  seen = new Map<string, WorkflowStep>(),
): WorkflowStep[] {
  for (const step of links?.next ?? []) visit(step, seen);
  if (links?.chord) visit(links.chord.body, seen);
  return [...seen.values()];
}

function visit(step: WorkflowStep, seen: Map<string, WorkflowStep>): void {
  if (seen.has(step.id)) return;
  seen.set(step.id, step);
  downstreamSteps(step.workflow, seen);
}
