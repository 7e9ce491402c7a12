import type { ChordJoin, WorkflowEffects } from '../brokers/broker.js';
import { ChainError } from '../errors/chain-error.js';
import { ChordError } from '../errors/chord-error.js';
import { serializeError, type SerializedError } from '../errors/serialize-error.js';
import type { Envelope, WorkflowStep } from '../protocol/envelope.js';
import type { ResultRecord } from '../protocol/result-record.js';
import { downstreamSteps, stepEnvelope, stepMessage, type StepContext } from '../workflows/step-message.js';

/** Stands for the header results inside a chord body's envelope until the last member joins. */
const RESULTS_MARK = '\u0000turbine:chord-results\u0000';

/** What a successful step does to its workflow: enqueue the next steps, join its chord. */
export function successEffects(envelope: Envelope, value: unknown, now: number): WorkflowEffects | undefined {
  const links = envelope.workflow;
  if (!links) return undefined;
  const context = inherited(envelope, now);
  const effects: WorkflowEffects = {};
  if (links.next)
    effects.followUps = links.next.map((step) => stepMessage(step, { ...context, parentResult: { value } }));
  if (links.chord) {
    const { id, index, size, body } = links.chord;
    effects.chordJoin = {
      chordId: id,
      index,
      size,
      resultJson: JSON.stringify(value ?? null),
      ttlMs: body.resultTtlMs,
      body: chordBody(body, context),
    };
  }
  return effects;
}

/**
 * What a step that ended without success (failed for good, revoked, expired) does to its workflow:
 * every step after it ends FAILURE, and its chord's body fails once, into the DLQ.
 */
export function failureEffects(
  envelope: Envelope,
  error: SerializedError,
  now: number,
): WorkflowEffects | undefined {
  const links = envelope.workflow;
  if (!links) return undefined;
  const effects: WorkflowEffects = {};
  const why = `${envelope.name} (${envelope.id}) ended without success: ${error.name}: ${error.message}`;
  const chordBodyId = links.chord?.body.id;
  const cancelledSteps = downstreamSteps(links).filter((step) => step.id !== chordBodyId);
  const chainError = serializeError(new ChainError(`not run: workflow step ${why}`));
  if (links.chord) {
    const { id, index, body } = links.chord;
    const chordError = serializeError(new ChordError(`chord member ${index}, ${why}`));
    const bodyEnvelope = stepEnvelope(body, inherited(envelope, now));
    const record = failedRecord(body, chordError, now);
    effects.chordFailure = {
      chordId: id,
      ttlMs: body.resultTtlMs,
      body: {
        id: body.id,
        queue: body.queue,
        record,
        entry: {
          id: body.id,
          name: body.name,
          queue: body.queue,
          args: body.args,
          error: chordError,
          attempts: 0,
          reason: 'chord member failed',
          failedAt: now,
          envelope: bodyEnvelope,
          ...(bodyEnvelope.tenantId === undefined ? {} : { tenantId: bodyEnvelope.tenantId }),
          ...(bodyEnvelope.headers === undefined ? {} : { headers: bodyEnvelope.headers }),
        },
      },
    };
  }
  if (cancelledSteps.length > 0)
    effects.records = cancelledSteps.map((step) => failedRecord(step, chainError, now));
  return effects;
}

function chordBody(body: WorkflowStep, context: StepContext): ChordJoin['body'] {
  const envelope = stepEnvelope(body, context);
  const target: ChordJoin['body'] = { id: body.id, queue: body.queue, priority: body.priority };
  if (envelope.eta !== undefined) target.dueAt = envelope.eta;
  if (body.immutable) return { ...target, envelope: JSON.stringify(envelope) };
  const text = JSON.stringify({ ...envelope, args: [RESULTS_MARK, ...body.args] });
  const [prefix, suffix] = text.split(JSON.stringify(RESULTS_MARK)) as [string, string];
  return { ...target, prefix, suffix };
}

function failedRecord(step: WorkflowStep, error: SerializedError, now: number): ResultRecord {
  return {
    id: step.id,
    name: step.name,
    queue: step.queue,
    state: 'FAILURE',
    attempts: 0,
    createdAt: now,
    finishedAt: now,
    error,
    ttlMs: step.resultTtlMs,
  };
}

function inherited(envelope: Envelope, now: number): StepContext {
  const context: StepContext = { now };
  if (envelope.tenantId !== undefined) context.tenantId = envelope.tenantId;
  if (envelope.headers !== undefined) context.headers = envelope.headers;
  return context;
}
