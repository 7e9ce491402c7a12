import { EventEmitter } from 'node:events';
import type { Broker, ClaimResult, Delivery, Unsubscribe } from '../brokers/broker.js';
import type { ResultBackend } from '../backends/result-backend.js';
import { TaskRevokedError } from '../errors/task-revoked-error.js';
import { TurbineError } from '../errors/turbine-error.js';
import type { WorkerEvents, WorkerListener } from '../events/worker-events.js';
import { abortableSleep } from '../util/abortable-sleep.js';
import { withDeadline } from '../util/with-deadline.js';
import { execute, newAttempt, triage, type Attempt, type ExecutorEnv, type Verdict } from './executor.js';
import { executeBatch } from './batch-executor.js';
import { LeaseKeeper } from './lease-keeper.js';
import { Settler, settlementsOf } from './settler.js';
import { StartReporter } from './start-reporter.js';
import { RunningAttempts } from './running-attempts.js';
import type { TaskRegistry } from './task-registry.js';
import type { ResolvedWorkerOptions } from './worker-options.js';
import { installSignalHandlers } from './shutdown.js';

/** Longest an idle worker blocks before looking again on its own. */
const IDLE_WAIT_MS = 5_000;
const ERROR_BACKOFF_MS = [50, 100, 250, 500, 1_000, 2_000];
/** Claims that may be under way at once. */
const MAX_CLAIMS_IN_FLIGHT = 2;
/** Bound on each broker call made while stopping, so stop() returns even when the broker is gone. */
const STOP_STEP_MS = 2_000;

/** What the consumer loop knows about its claims. */
interface ClaimState {
  /** Slots that claims under way may fill. */
  reserved: number;
  /** Broker errors in a row. */
  failures: number;
  /** Set when a claim came back short: the queues are drained until then. */
  idleUntil: number | undefined;
  /** Back-off after a broker error. */
  pauseMs: number;
}

class ShutdownInterrupt extends TurbineError {
  override readonly code: string = 'SHUTDOWN';
}

/**
 * Runs tasks from one or more queues: claims messages in batches (up to free slots + prefetch),
 * runs them with their limits, settles outcomes in batches, keeps leases alive with one heartbeat,
 * and stops gracefully (SPEC §4).
 * @example
 * const worker = app.worker({ queues: ['default'], concurrency: 16 });
 * worker.on('task:failed', (e) => console.error(e.name, e.error.message));
 * await worker.start();
 */
export class Worker {
  readonly id: string;
  private readonly emitter = new EventEmitter();
  private readonly buffer: Delivery[] = [];
  private readonly running = new RunningAttempts();
  private readonly settler: Settler;
  private readonly leases: LeaseKeeper;
  private readonly starts: StartReporter;
  private readonly env: ExecutorEnv;
  private readonly stopSignal = new AbortController();
  private slotFreed: (() => void) | undefined;
  private readonly claims = new Set<Promise<void>>();
  private readonly claimState: ClaimState = { reserved: 0, failures: 0, idleUntil: undefined, pauseMs: 0 };
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private unsubscribe: Unsubscribe | undefined;
  private removeSignalHandlers: (() => void) | undefined;
  private loopAlive = false;
  /** True while the loop blocks until work is due: no claim is coming to carry settlements. */
  private waitingForWork = false;

  /** @internal Use `app.worker()`. */
  constructor(
    private readonly broker: Broker,
    backend: ResultBackend,
    registry: TaskRegistry,
    readonly options: ResolvedWorkerOptions,
  ) {
    this.id = options.workerId;
    this.emitter.on('error', () => {});
    const onError = (error: Error): void => this.emit('worker:error', { error });
    this.settler = new Settler(broker, backend, onError, () => !this.waitingForWork);
    this.leases = new LeaseKeeper(broker, options.leaseMs, () => this.held(), onError);
    this.starts = new StartReporter(broker, this.id, Date.now, () => this.running.values(), onError);
    this.env = {
      workerId: this.id,
      registry,
      defaultResultTtlMs: options.defaultResultTtlMs,
      clock: Date.now,
      started: () => this.starts.started(),
      emit: (name, payload) => this.emit(name, payload),
      listens: (name) => this.emitter.listenerCount(name) > 0,
    };
  }

  /** Subscribes to a local event. */
  on<E extends keyof WorkerEvents>(event: E, listener: WorkerListener<E>): this {
    this.emitter.on(event, listener);
    return this;
  }

  /** Unsubscribes a listener. */
  off<E extends keyof WorkerEvents>(event: E, listener: WorkerListener<E>): this {
    this.emitter.off(event, listener);
    return this;
  }

  /** Subscribes for one event. */
  once<E extends keyof WorkerEvents>(event: E, listener: WorkerListener<E>): this {
    this.emitter.once(event, listener);
    return this;
  }

  /** True while the consumer loop is alive and the broker connection usable. */
  isHealthy(): boolean {
    return this.loopAlive && this.broker.isHealthy();
  }

  /** Tasks running now. */
  get activeCount(): number {
    return this.running.size;
  }

  /** Starts consuming; resolves once the worker listens for revocations and its loop runs. */
  async start(): Promise<void> {
    if (this.loop) throw new TurbineError(`worker ${this.id} was already started`);
    this.unsubscribe = await this.broker.subscribeControl((message) => {
      if (message.kind === 'revoke') this.revokeLocal(message.id);
    });
    this.leases.start();
    this.loopAlive = true;
    this.loop = this.consume().finally(() => {
      this.loopAlive = false;
    });
    if (this.options.handleSignals) this.removeSignalHandlers = installSignalHandlers(() => this.stop());
    this.emit('worker:started', { workerId: this.id, queues: this.options.queues });
  }

  /**
   * Stops gracefully: no new fetches, unstarted prefetched messages go back to the queue at once,
   * running tasks may finish until `shutdownTimeout`, the rest are interrupted and given back.
   * Always returns, even when the broker is unreachable.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.removeSignalHandlers?.();
    this.stopSignal.abort();
    this.wakeLoop();
    const unstarted = this.buffer.splice(0);
    const released = unstarted.length;
    const releasing = Promise.all(
      unstarted.map((delivery) => this.settler.add({ kind: 'release', delivery })),
    );
    await withDeadline(releasing, STOP_STEP_MS, undefined);
    await withDeadline(this.loop ?? Promise.resolve(), STOP_STEP_MS, undefined);
    await this.waitForRunning(this.options.shutdownTimeoutMs);
    for (const attempt of this.running.values()) {
      attempt.run?.interrupt(new ShutdownInterrupt(`worker ${this.id} stopped before the task finished`));
    }
    await this.waitForRunning(STOP_STEP_MS);
    const drained = await withDeadline(
      this.settler.drain().then(() => true),
      STOP_STEP_MS,
      false,
    );
    if (!drained) this.settler.giveUp();
    this.starts.stop();
    this.leases.stop();
    await withDeadline(this.unsubscribe?.() ?? Promise.resolve(), STOP_STEP_MS, undefined);
    this.emit('worker:stopped', { workerId: this.id, released });
  }

  private async waitForRunning(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.running.size > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.slotFreed = resolve;
        setTimeout(resolve, Math.min(100, deadline - Date.now())).unref();
      });
    }
  }

  /**
   * The consumer loop: it waits while claims run (each freed slot tops the window up at once, see
   * `topUp`), blocks on the broker when the queues are drained, and pauses after broker errors.
   */
  private async consume(): Promise<void> {
    const state = this.claimState;
    while (!this.stopSignal.signal.aborted) {
      if (this.claims.size === 0 && state.idleUntil !== undefined) {
        // Tasks just started may end within this turn: their settlements then go out before the
        // blocking wait, not behind it.
        if (this.running.size > 0) await new Promise((resolve) => setImmediate(resolve));
        await this.idle(state);
        continue;
      }
      if (this.claims.size === 0 && state.pauseMs > 0) {
        await abortableSleep(state.pauseMs, this.stopSignal.signal);
        state.pauseMs = 0;
        continue;
      }
      this.topUp();
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
    await Promise.all(this.claims);
  }

  /**
   * Claims more when the free window (slots + prefetch) is worth it: half the window, or at once
   * when nothing is buffered or coming. Called synchronously as each task finishes, so the next
   * claim is on its way while the rest of a batch still runs: claims overlap, and a busy worker
   * rarely waits for a round trip.
   */
  private topUp(): void {
    const state = this.claimState;
    if (!this.loopAlive || this.stopSignal.signal.aborted) return;
    if (state.idleUntil !== undefined || state.pauseMs > 0) return;
    if (this.claims.size >= MAX_CLAIMS_IN_FLIGHT) return;
    const capacity = this.freeWindow();
    const nothingAhead = this.buffer.length + state.reserved === 0;
    if (capacity <= 0 || (!nothingAhead && capacity * MAX_CLAIMS_IN_FLIGHT < this.window)) return;
    const claim = this.claimInto(capacity, state).finally(() => {
      this.claims.delete(claim);
      this.wakeLoop();
    });
    this.claims.add(claim);
  }

  /** Messages a worker holds at most: its slots and its prefetch. */
  private get window(): number {
    return this.options.concurrency + this.options.prefetch;
  }

  /** Room for more messages: the window, less what runs, waits in the buffer or is being claimed. */
  private freeWindow(): number {
    return this.window - this.running.size - this.buffer.length - this.claimState.reserved;
  }

  /** One claim of up to `max` messages into the buffer. */
  private async claimInto(max: number, state: ClaimState): Promise<void> {
    const { queues, leaseMs, maxDeliveries } = this.options;
    state.reserved += max;
    // What finished since the last claim is stored by this same call.
    const carried = this.settler.takeForClaim();
    const settle = settlementsOf(carried);
    try {
      const claimed = await this.broker.claim({
        queues,
        max,
        workerId: this.id,
        leaseMs,
        maxDeliveries,
        settle,
      });
      state.failures = 0;
      this.settler.landed(carried);
      this.accept(claimed, max, state);
    } catch (error) {
      this.settler.returned(carried);
      this.emit('worker:error', { error: error as Error });
      state.pauseMs = ERROR_BACKOFF_MS[Math.min(state.failures++, ERROR_BACKOFF_MS.length - 1)]!;
    } finally {
      state.reserved -= max;
    }
  }

  /**
   * Buffers and starts claimed messages; a short claim means the queues are drained. Synchronous:
   * the claim's reservation must end in this same turn, before the tasks it starts finish and look
   * for room to claim again. Messages claimed while stopping go back (the stop drains the settler).
   */
  private accept(claimed: ClaimResult, max: number, state: ClaimState): void {
    if (this.stopSignal.signal.aborted) {
      for (const delivery of claimed.deliveries) this.settler.post({ kind: 'release', delivery });
      return;
    }
    this.buffer.push(...claimed.deliveries);
    this.pump();
    if (claimed.deliveries.length < max) {
      state.idleUntil = Math.min(claimed.nextWakeAt ?? Infinity, Date.now() + IDLE_WAIT_MS);
    }
  }

  /**
   * Blocks until the drained queues may have work again. The broker may claim for the free window
   * as the wait ends, in the same round trip (an idle worker then answers a new task one round trip
   * sooner); otherwise the loop claims next. Outcomes still being stored land first: a wait sent
   * beside them holds up their answer, on the worker and in Redis, and that answer is when a task
   * counts as done. A task that comes meanwhile is not missed, as its wake-up marker stays set.
   */
  private async idle(state: ClaimState): Promise<void> {
    this.waitingForWork = true;
    this.settler.flush();
    await this.settler.storing;
    const { queues, leaseMs, maxDeliveries } = this.options;
    const max = this.freeWindow();
    const then = max > 0 ? { queues, max, workerId: this.id, leaseMs, maxDeliveries } : undefined;
    if (then) state.reserved += max;
    try {
      const claimed = await this.broker.waitForWork(queues, state.idleUntil!, this.stopSignal.signal, then);
      state.failures = 0;
      state.idleUntil = undefined;
      // The reservation ends in this turn, before the tasks accepted below can finish and top up.
      if (then) state.reserved -= max;
      if (claimed) this.accept(claimed, max, state);
    } catch (error) {
      if (then) state.reserved -= max;
      this.emit('worker:error', { error: error as Error });
      const pause = ERROR_BACKOFF_MS[Math.min(state.failures++, ERROR_BACKOFF_MS.length - 1)]!;
      await abortableSleep(pause, this.stopSignal.signal);
      state.idleUntil = undefined;
    } finally {
      this.waitingForWork = false;
    }
  }

  /** Starts buffered deliveries while slots are free. */
  private pump(): void {
    while (this.running.size < this.options.concurrency && this.buffer.length > 0) {
      void this.process(this.buffer.shift()!);
    }
  }

  private process(delivery: Delivery): void {
    const attempt = newAttempt(delivery);
    this.running.add(attempt);
    const done = (verdict: Verdict): void => this.finish(attempt, verdict);
    try {
      const early = triage(delivery, this.env);
      if (early) {
        queueMicrotask(() => done(early));
        return;
      }
      const definition = this.env.registry.get(delivery.envelope!.name)!;
      if (delivery.envelope!.batch) {
        executeBatch(attempt, definition, this.env).then(done, (error: unknown) =>
          this.giveBack(attempt, error),
        );
      } else {
        execute(attempt, definition, this.env, done);
      }
    } catch (error) {
      queueMicrotask(() => this.giveBack(attempt, error));
    }
  }

  /** The executor itself failed (a bug, not the task): the message goes back rather than get lost. */
  private giveBack(attempt: Attempt, error: unknown): void {
    this.emit('worker:error', { error: error as Error });
    this.finish(attempt, { settlement: { kind: 'release', delivery: attempt.delivery } });
  }

  private finish(attempt: Attempt, verdict: Verdict): void {
    this.running.delete(attempt);
    this.pump();
    this.settler.post(verdict.settlement, () => this.announce(verdict));
    this.topUp();
    this.wakeLoop();
  }

  /** Emits a stored verdict's events. */
  private announce(verdict: Verdict): void {
    try {
      verdict.announce?.();
    } catch (error) {
      this.emit('worker:error', { error: error as Error });
    }
    // The payload is built only for a listener (it runs once per task on the hot path).
    const event = verdict.event;
    if (event && this.emitter.listenerCount(event.name) > 0) this.emit(event.name, event.payload());
  }

  private revokeLocal(id: string): void {
    const running = this.running.find(id);
    if (running) {
      const reason = new TaskRevokedError(id);
      if (running.run) running.run.interrupt(reason);
      else running.controller.abort(reason);
      return;
    }
    const waiting = this.buffer.find((delivery) => delivery.id === id);
    if (waiting) waiting.revoked = true;
  }

  private held(): Delivery[] {
    return [
      ...this.buffer,
      ...this.running.values().map((attempt) => attempt.delivery),
      ...this.settler.heldDeliveries(),
    ];
  }

  private wakeLoop(): void {
    const wake = this.slotFreed;
    this.slotFreed = undefined;
    wake?.();
  }

  /**
   * Emits a local event. A listener that throws is reported as `worker:error` and never breaks
   * the worker; one that throws on `worker:error` itself leaves nothing to report to.
   */
  private emit<E extends keyof WorkerEvents>(name: E, payload: WorkerEvents[E]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      if (name !== 'worker:error') this.emit('worker:error', { error: error as Error });
    }
  }
}
