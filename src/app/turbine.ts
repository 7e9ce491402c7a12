import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Broker, EnqueueOutcome, OutgoingMessage, QueueStats } from '../brokers/broker.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { createTransport } from '../brokers/create-transport.js';
import { loadConfig, type ResolvedConfig, type TurbineOptions } from '../config/load-config.js';
import { resolveTaskOptions, type TaskOptions } from '../config/task-options.js';
import { DlqManager } from '../dlq/dlq-manager.js';
import { ConfigError } from '../errors/config-error.js';
import type { ResultRecord } from '../protocol/result-record.js';
import { isFinalState } from '../protocol/task-state.js';
import { Worker } from '../worker/worker.js';
import { durationOption, validateWorkerOptions, type WorkerOptions } from '../worker/worker-options.js';
import type { TaskDefinition } from '../worker/task-registry.js';
import { AsyncResult, type ResultSource } from './async-result.js';
import { Task, type TaskFunction } from './task.js';
import { describeTask, type TaskInfo } from './task-info.js';
import type { TaskSubmitter } from './task-submitter.js';
import { SubmitQueue } from './submit-queue.js';

/**
 * A Turbine application: the tasks it defines, its broker and result backend, its workers.
 * Options override `turbine.toml` and `TURBINE_*`; with no broker URL anywhere, the embedded
 * SQLite file `.turbine/turbine.db` is used.
 * @example
 * const app = new Turbine({ broker: 'redis://127.0.0.1:6379' });
 * const add = app.task('add', async (x: number, y: number) => x + y);
 * await app.worker({ concurrency: 4 }).start();
 * console.log(await (await add.delay(1, 2)).get({ timeout: '10s' }));
 */
export class Turbine implements TaskSubmitter, ResultSource {
  /** The configuration after every layer was applied. */
  readonly config: ResolvedConfig;
  /** The dead-letter queue. */
  readonly dlq: DlqManager;
  private readonly broker: Broker;
  private readonly backend: ResultBackend;
  private readonly registry = new Map<string, TaskDefinition>();
  private readonly workers = new Set<Worker>();
  private readonly submissions: SubmitQueue;
  private closed: Promise<void> | undefined;

  /** @throws ConfigError naming the key when configuration is invalid. */
  constructor(options: TurbineOptions = {}) {
    this.config = loadConfig(options);
    ({ broker: this.broker, backend: this.backend } = createTransport(this.config));
    this.dlq = new DlqManager(this.broker.dlq, this);
    this.submissions = new SubmitQueue((messages) => this.broker.enqueue(messages));
  }

  /** The ResultSource of results made by this app. */
  get results(): ResultSource {
    return this;
  }

  /** Defines a task with default options. */
  task<Args extends unknown[], Result>(
    name: string,
    fn: TaskFunction<Args, Result>,
  ): Task<Args, Awaited<Result>>;
  /** Defines a task with options (SPEC §3). */
  task<Args extends unknown[], Result>(
    name: string,
    options: TaskOptions,
    fn: TaskFunction<Args, Result>,
  ): Task<Args, Awaited<Result>>;
  task<Args extends unknown[], Result>(
    name: string,
    optionsOrFn: TaskOptions | TaskFunction<Args, Result>,
    maybeFn?: TaskFunction<Args, Result>,
  ): Task<Args, Awaited<Result>> {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    const options = typeof optionsOrFn === 'function' ? undefined : optionsOrFn;
    if (typeof name !== 'string' || name === '')
      throw new ConfigError('task name: expected a non-empty string');
    if (typeof fn !== 'function') throw new ConfigError(`task "${name}": expected a function`);
    if (this.registry.has(name)) throw new ConfigError(`task "${name}" is already defined`);
    const resolved = resolveTaskOptions(name, options, { resultTtlMs: this.config.backend.resultTtlMs });
    this.registry.set(name, { name, options: resolved, func: fn as TaskDefinition['func'] });
    return new Task<Args, Awaited<Result>>(name, resolved, fn as TaskFunction<Args, Awaited<Result>>, this);
  }

  /** Creates a worker serving this app's tasks; call `start()` on it. */
  worker(options: WorkerOptions = {}): Worker {
    const config = this.config;
    const worker = new Worker(
      this.broker,
      this.backend,
      this.registry,
      validateWorkerOptions({
        queues: options.queues ?? config.worker.queues,
        concurrency: options.concurrency ?? config.worker.concurrency,
        prefetch: options.prefetch ?? config.broker.prefetch,
        shutdownTimeoutMs:
          options.shutdownTimeout === undefined
            ? config.worker.shutdownTimeoutMs
            : durationOption(options.shutdownTimeout, 'shutdownTimeout'),
        handleSignals: options.handleSignals ?? false,
        workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
        leaseMs: config.broker.visibilityTimeoutMs,
        maxDeliveries: config.broker.maxDeliveries,
        defaultResultTtlMs: config.backend.resultTtlMs,
      }),
    );
    this.workers.add(worker);
    return worker;
  }

  /** A handle on a task known by id. */
  result<T = unknown>(id: string): AsyncResult<T> {
    return new AsyncResult<T>(id, this);
  }

  /** Everything known about a task (the seed's `get_task_status`). */
  getTaskStatus(id: string): Promise<TaskInfo> {
    return this.taskInfo(id);
  }

  /** Counts per known queue: waiting, delayed, active (leased), DLQ. */
  queues(): Promise<QueueStats[]> {
    return this.broker.queueStats();
  }

  /** Removes every waiting and delayed message of `queue` (running ones finish); returns how many. */
  purge(queue: string): Promise<number> {
    return this.broker.purge(queue);
  }

  /** The broker's technology: `'redis'` or `'sqlite'`. */
  get brokerKind(): string {
    return this.broker.kind;
  }

  /** True while the broker connection is usable. */
  isHealthy(): boolean {
    return this.broker.isHealthy();
  }

  /** @internal */
  submit(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    return this.submissions.submit(messages);
  }

  /** @internal */
  readRecord(id: string): Promise<ResultRecord | undefined> {
    return this.backend.get(id);
  }

  /** @internal */
  readRecords(ids: readonly string[]): Promise<(ResultRecord | undefined)[]> {
    return this.backend.getMany(ids);
  }

  /** @internal */
  async taskInfo(id: string, queueHint?: string): Promise<TaskInfo> {
    const record = await this.backend.get(id);
    if (record && isFinalState(record.state)) return describeTask(id, record, undefined);
    const location = await this.broker.locate(id, queueHint ?? record?.queue);
    return describeTask(id, record, location);
  }

  /** @internal */
  async revoke(id: string, queueHint?: string): Promise<void> {
    const location = await this.broker.locate(id, queueHint);
    const envelope = location?.envelope;
    const record: ResultRecord = {
      id,
      name: envelope?.name ?? '',
      queue: location?.queue ?? '',
      state: 'REVOKED',
      reason: 'revoked',
      attempts: Math.max(0, (envelope?.attempt ?? 1) - 1),
      createdAt: envelope?.createdAt ?? Date.now(),
      finishedAt: Date.now(),
      ttlMs: envelope?.resultTtlMs ?? this.config.backend.resultTtlMs,
    };
    if (envelope?.tenantId !== undefined) record.tenantId = envelope.tenantId;
    if (!this.broker.writesRecords && location?.state !== 'STARTED' && location?.state !== 'RECEIVED') {
      await this.backend.put([record]);
    }
    await this.broker.revoke(id, record);
  }

  /** @internal The broker, for the CLI and tests. */
  get transport(): { broker: Broker; backend: ResultBackend } {
    return { broker: this.broker, backend: this.backend };
  }

  /** Stops this app's workers and closes its connections. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.all([...this.workers].map((worker) => worker.stop()));
      await this.backend.close();
      await this.broker.close();
    })();
    return this.closed;
  }
}
