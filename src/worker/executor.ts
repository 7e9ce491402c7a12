import type { Delivery, Settlement } from '../brokers/broker.js';
import { buildDlqEntry } from '../dlq/build-dlq-entry.js';
import { serializeError } from '../errors/serialize-error.js';
import { TaskRevokedError } from '../errors/task-revoked-error.js';
import { UnknownTaskError } from '../errors/unknown-task-error.js';
import type { TaskEventBase, WorkerEvents } from '../events/worker-events.js';
import { taskContextStorage, type TaskContext } from '../app/current-task.js';
import { assertJsonValue } from '../protocol/codec.js';
import type { Envelope } from '../protocol/envelope.js';
import { LazyAbort } from '../util/lazy-abort.js';
import { outcomeRecord, type RunFacts } from './outcome-records.js';
import { backoffMs, permanentReason } from './retry-policy.js';
import { failureEffects, successEffects } from './workflow-effects.js';
import { AttemptInterrupted, runWithLimits, type LimitedRun } from './run-with-limits.js';
import type { TaskDefinition, TaskRegistry } from './task-registry.js';

/** A typed event to emit once its settlement is stored; the payload is built only if someone listens. */
export type PendingEvent = {
  [E in keyof WorkerEvents]: { name: E; payload: () => WorkerEvents[E] };
}[keyof WorkerEvents];

/** How one delivery ends: what to store, and what to announce after (built only when someone listens). */
export interface Verdict {
  settlement: Settlement;
  event?: PendingEvent;
  /** Emits several events (a batch's items); used instead of `event`. */
  announce?: () => void;
}

/** What the executor needs from its worker. */
export interface ExecutorEnv {
  workerId: string;
  registry: TaskRegistry;
  defaultResultTtlMs: number;
  clock: () => number;
  /** Reports that an attempt started (its `startedAt` set), so it may show as STARTED. */
  started(): void;
  emit: <E extends keyof WorkerEvents>(name: E, payload: WorkerEvents[E]) => void;
  /** True when event `name` has listeners: payloads are not built otherwise. */
  listens(name: keyof WorkerEvents): boolean;
}

/** A delivery being run: the worker keeps it to interrupt it on revoke or shutdown. */
export interface Attempt {
  delivery: Delivery;
  controller: LazyAbort;
  run?: LimitedRun;
  startedAt?: number;
  /** Set once the attempt was reported as STARTED. */
  startReported?: boolean;
  /** Where the worker keeps it while it runs (see RunningAttempts). */
  slot?: number;
}

/** A fresh attempt for a delivery. */
export function newAttempt(delivery: Delivery): Attempt {
  return { delivery, controller: new LazyAbort() };
}

/**
 * Decides deliveries that must not run: poisoned, undecodable, unknown task, revoked, expired.
 * Returns undefined for a delivery that should run.
 */
export function triage(delivery: Delivery, env: ExecutorEnv): Verdict | undefined {
  const now = env.clock();
  const envelope = delivery.envelope;
  if (delivery.poisoned) {
    const message = `delivered ${delivery.deliveries} times without an outcome (its worker died each time)`;
    return deadVerdict(delivery, { name: 'MaxDeliveriesExceeded', message }, 'max deliveries exceeded', env);
  }
  if (!envelope) {
    const message = delivery.problem ?? 'message could not be decoded';
    return deadVerdict(delivery, { name: 'MalformedMessageError', message }, 'undecodable message', env);
  }
  if (delivery.revoked) return revokedVerdict(delivery, envelope, 'revoked', env, now);
  if (envelope.expires !== undefined && envelope.expires <= now) {
    return revokedVerdict(delivery, envelope, 'expired', env, now);
  }
  if (!env.registry.has(envelope.name)) {
    const error = new UnknownTaskError(
      `no task named "${envelope.name}" is registered on worker ${env.workerId}`,
    );
    return deadVerdict(delivery, serializeError(error), 'unknown task', env);
  }
  return undefined;
}

/**
 * Runs one attempt of a task and hands its verdict to `done`, on a later microtask. Callbacks, not
 * async/await: this runs once per task, and every promise costs.
 */
export function execute(
  attempt: Attempt,
  definition: TaskDefinition,
  env: ExecutorEnv,
  done: (verdict: Verdict) => void,
): void {
  const { delivery, controller } = attempt;
  const envelope = delivery.envelope!;
  const startedAt = env.clock();
  attempt.startedAt = startedAt;
  env.started();
  if (env.listens('task:started')) env.emit('task:started', { ...eventBase(delivery, envelope), startedAt });
  const context = new AttemptContext(delivery, envelope, controller, env);
  const options = definition.options;
  const ttlMs = envelope.resultTtlMs ?? options.resultTtlMs;
  attempt.run = runWithLimits(
    () => taskContextStorage.run(context, () => definition.func(...(envelope.args as never[]))),
    controller,
    options,
    envelope.name,
    {
      succeeded: (value) => {
        let verdict: Verdict;
        try {
          verdict = successVerdict(delivery, envelope, options, value, startedAt, ttlMs, env);
        } catch (error) {
          // A result that cannot be stored fails the attempt, naming the culprit.
          verdict = failed(error);
        }
        done(verdict);
      },
      failed: (thrown) => done(failed(thrown)),
    },
  );

  function failed(thrown: unknown): Verdict {
    const finishedAt = env.clock();
    const facts = { attempts: envelope.attempt, ttlMs, workerId: env.workerId, startedAt, finishedAt };
    return failureVerdict(delivery, envelope, definition, thrown, facts, env);
  }
}

/** Runs one attempt and resolves with its verdict (for a batch's items, run one after another). */
export function executeOne(attempt: Attempt, definition: TaskDefinition, env: ExecutorEnv): Promise<Verdict> {
  return new Promise((resolve) => execute(attempt, definition, env, resolve));
}

function successVerdict(
  delivery: Delivery,
  envelope: Envelope,
  options: TaskDefinition['options'],
  value: unknown,
  startedAt: number,
  ttlMs: number,
  env: ExecutorEnv,
): Verdict {
  if (value !== undefined) assertJsonValue(value, 'result');
  const finishedAt = env.clock();
  const stored: RunFacts = {
    state: 'SUCCESS',
    attempts: envelope.attempt,
    ttlMs,
    workerId: env.workerId,
    startedAt,
    finishedAt,
  };
  if (options.storeResult) stored.result = value;
  const effects = successEffects(envelope, value, finishedAt);
  const record = outcomeRecord(delivery, stored);
  return {
    settlement: effects
      ? { kind: 'complete', delivery, record, effects }
      : { kind: 'complete', delivery, record },
    event: {
      name: 'task:succeeded',
      payload: () => {
        const payload: WorkerEvents['task:succeeded'] = {
          id: delivery.id,
          name: envelope.name,
          queue: delivery.queue,
          attempt: envelope.attempt,
          result: value,
          startedAt,
          finishedAt,
          durationMs: finishedAt - startedAt,
        };
        if (envelope.tenantId !== undefined) payload.tenantId = envelope.tenantId;
        return payload;
      },
    },
  };
}

function failureVerdict(
  delivery: Delivery,
  envelope: Envelope,
  definition: TaskDefinition,
  thrown: unknown,
  facts: Omit<RunFacts, 'state'>,
  env: ExecutorEnv,
): Verdict {
  if (thrown instanceof AttemptInterrupted) {
    if (thrown.reason instanceof TaskRevokedError)
      return revokedVerdict(delivery, envelope, 'revoked', env, facts.finishedAt);
    return { settlement: { kind: 'release', delivery } };
  }
  const error = serializeError(thrown);
  const base = eventBase(delivery, envelope);
  const refusal = permanentReason(thrown, definition.options);
  if (!refusal && envelope.attempt <= envelope.maxRetries) {
    const retryAt = facts.finishedAt + backoffMs(envelope.attempt, definition.options);
    const next: Envelope = { ...envelope, attempt: envelope.attempt + 1 };
    const record = outcomeRecord(delivery, { ...facts, state: 'RETRY', error });
    return {
      settlement: { kind: 'retry', delivery, envelope: next, dueAt: retryAt, record },
      event: { name: 'task:retried', payload: () => ({ ...base, error, retryAt }) },
    };
  }
  const reason = refusal ?? 'retries exhausted';
  const record = outcomeRecord(delivery, { ...facts, state: 'FAILURE', error });
  const entry = buildDlqEntry(delivery, error, reason, facts.finishedAt);
  const effects = failureEffects(envelope, error, facts.finishedAt);
  return {
    settlement: effects
      ? { kind: 'dead', delivery, entry, record, effects }
      : { kind: 'dead', delivery, entry, record },
    event: { name: 'task:failed', payload: () => ({ ...base, error, reason, finishedAt: facts.finishedAt }) },
  };
}

function deadVerdict(
  delivery: Delivery,
  error: { name: string; message: string; stack?: string },
  reason: string,
  env: ExecutorEnv,
): Verdict {
  const finishedAt = env.clock();
  const ttlMs = delivery.envelope?.resultTtlMs ?? env.defaultResultTtlMs;
  const attempts = delivery.envelope?.attempt ?? 0;
  const record = outcomeRecord(delivery, {
    state: 'FAILURE',
    error,
    attempts,
    ttlMs,
    workerId: env.workerId,
    finishedAt,
  });
  const entry = buildDlqEntry(delivery, error, reason, finishedAt);
  const envelope = delivery.envelope;
  const effects = envelope && failureEffects(envelope, error, finishedAt);
  const settlement: Settlement = effects
    ? { kind: 'dead', delivery, entry, record, effects }
    : { kind: 'dead', delivery, entry, record };
  if (!envelope) return { settlement };
  const base = eventBase(delivery, envelope);
  return {
    settlement,
    event: { name: 'task:failed', payload: () => ({ ...base, error, reason, finishedAt }) },
  };
}

function revokedVerdict(
  delivery: Delivery,
  envelope: Envelope,
  reason: string,
  env: ExecutorEnv,
  finishedAt: number,
): Verdict {
  const ttlMs = envelope.resultTtlMs ?? env.defaultResultTtlMs;
  const record = outcomeRecord(delivery, {
    state: 'REVOKED',
    reason,
    attempts: envelope.attempt - 1,
    ttlMs,
    workerId: env.workerId,
    finishedAt,
  });
  const why = serializeError(new TaskRevokedError(envelope.id, reason));
  const effects = failureEffects(envelope, why, finishedAt);
  return {
    settlement: effects
      ? { kind: 'complete', delivery, record, effects }
      : { kind: 'complete', delivery, record },
    event: { name: 'task:revoked', payload: () => ({ ...eventBase(delivery, envelope), reason }) },
  };
}

function eventBase(delivery: Delivery, envelope: Envelope): TaskEventBase {
  const base: TaskEventBase = {
    id: delivery.id,
    name: envelope.name,
    queue: delivery.queue,
    attempt: envelope.attempt,
  };
  if (envelope.tenantId !== undefined) base.tenantId = envelope.tenantId;
  return base;
}

/** The context a running attempt sees through `currentTask()`; a class, so no closures per task. */
class AttemptContext implements TaskContext {
  readonly id: string;
  readonly name: string;
  readonly attempt: number;
  readonly retries: number;
  readonly queue: string;
  readonly tenantId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    private readonly delivery: Delivery,
    private readonly envelope: Envelope,
    private readonly controller: LazyAbort,
    private readonly env: ExecutorEnv,
  ) {
    this.id = envelope.id;
    this.name = envelope.name;
    this.attempt = envelope.attempt;
    this.retries = envelope.attempt - 1;
    this.queue = delivery.queue;
    this.tenantId = envelope.tenantId;
    this.headers = envelope.headers ?? EMPTY_HEADERS;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  progress(progress: unknown): void {
    this.env.emit('task:progress', { ...eventBase(this.delivery, this.envelope), progress });
  }
}

const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
