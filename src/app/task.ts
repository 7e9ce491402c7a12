import type { OutgoingMessage } from '../brokers/broker.js';
import { resolveCallOptions, type ApplyOptions, type ResolvedTaskOptions } from '../config/task-options.js';
import { normalizeArgs } from '../protocol/codec.js';
import { ENVELOPE_VERSION, type Envelope } from '../protocol/envelope.js';
import { newTaskId } from '../protocol/task-id.js';
import { AsyncResult } from './async-result.js';
import type { TaskSubmitter } from './task-submitter.js';
import { Signature } from '../workflows/signature.js';

/** The trailing arguments a partial signature may fix: in a chain the parent's result fills the leading ones. */
export type ArgSuffix<Args extends unknown[]> = Args extends [unknown, ...infer Rest]
  ? Args | ArgSuffix<Rest>
  : Args;

/** A task function: any function of JSON-serialisable arguments. */
export type TaskFunction<Args extends unknown[], Result> = (...args: Args) => Result | Promise<Result>;

/**
 * A registered task: call it remotely with `delay` / `applyAsync`, or directly with `func` in tests.
 * Argument and result types are inferred from the function.
 * @example
 * const add = app.task('add', async (x: number, y: number) => x + y);
 * const r = await add.delay(1, 2);   // AsyncResult<number>
 * add.func(1, 2);                     // 3, run in-process
 */
export class Task<Args extends unknown[] = unknown[], Result = unknown> {
  /** @internal */
  constructor(
    /** The name workers look the task up by. */
    readonly name: string,
    /** The task's options after defaults. */
    readonly options: ResolvedTaskOptions,
    /** The plain function, for unit tests (the seed's `.func`). */
    readonly func: TaskFunction<Args, Result>,
    /** @internal The app that submits this task's calls. */
    readonly submitter: TaskSubmitter,
  ) {}

  /** Submits a call with default options. */
  delay(...args: Args): Promise<AsyncResult<Result>> {
    return this.applyAsync(args);
  }

  /**
   * Submits a call with per-call options.
   * @throws SerializationError naming the argument path when an argument is not JSON-serialisable.
   * @throws ConfigError naming a bad option.
   */
  async applyAsync(args: Args, options?: ApplyOptions): Promise<AsyncResult<Result>> {
    const message = this.message(args, options, Date.now());
    const [outcome] = await this.submitter.submit([message]);
    return new AsyncResult<Result>(outcome!.id, this.submitter.results, message.envelope.queue);
  }

  /** Submits many calls in one broker round trip; results come back in the same order. */
  delayMany(argsList: readonly Args[], options?: ApplyOptions): Promise<AsyncResult<Result>[]> {
    if (options?.taskId !== undefined && argsList.length > 1) {
      throw new TypeError(
        `task "${this.name}": delayMany cannot share one taskId among ${argsList.length} calls`,
      );
    }
    return this.submit(argsList, options);
  }

  /**
   * A partial call for a workflow: in a chain, the parent's result is prepended to `args`.
   * @example chain(fetch.s(url), parse.s(), store.s('table'))
   */
  s(...args: ArgSuffix<Args>): Signature<Result> {
    return new Signature<Result>(this as unknown as Task<never[], Result>, args, false);
  }

  /** An immutable call for a workflow: runs with exactly `args`, ignoring the parent's result. */
  si(...args: Args): Signature<Result> {
    return new Signature<Result>(this as unknown as Task<never[], Result>, args, true);
  }

  /** @internal Builds the message of one call. */
  message(args: readonly unknown[], options: ApplyOptions | undefined, now: number): OutgoingMessage {
    const call = resolveCallOptions(this.name, options, now);
    const envelope: Envelope = {
      v: ENVELOPE_VERSION,
      id: call.taskId ?? newTaskId(now),
      name: this.name,
      args: normalizeArgs(args),
      queue: call.queue ?? this.options.queue,
      priority: call.priority ?? this.options.priority,
      attempt: 1,
      maxRetries: this.options.maxRetries,
      createdAt: now,
      resultTtlMs: this.options.resultTtlMs,
    };
    if (call.dueAt !== undefined) envelope.eta = call.dueAt;
    if (call.expiresAt !== undefined) envelope.expires = call.expiresAt;
    if (call.tenantId !== undefined) envelope.tenantId = call.tenantId;
    if (call.idempotencyKey !== undefined) envelope.idempotencyKey = call.idempotencyKey;
    if (call.headers !== undefined) envelope.headers = call.headers;
    return call.dueAt === undefined ? { envelope } : { envelope, dueAt: call.dueAt };
  }

  private async submit(
    argsList: readonly (readonly unknown[])[],
    options?: ApplyOptions,
  ): Promise<AsyncResult<Result>[]> {
    const now = Date.now();
    const messages = argsList.map((args) => this.message(args, options, now));
    const outcomes = await this.submitter.submit(messages);
    return outcomes.map(
      (outcome, i) =>
        new AsyncResult<Result>(outcome.id, this.submitter.results, messages[i]!.envelope.queue),
    );
  }
}
