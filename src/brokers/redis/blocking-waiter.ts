import type { Redis } from 'ioredis';
import { earlyTimeout } from '../../util/early-timeout.js';
import { BlockingConnection } from './blocking-connection.js';
import { leanSignalCommand } from './lean-command.js';
import type { ScriptedRedis } from './scripts.js';

/**
 * How much earlier than asked a timed wait ends: about what the unblock and the command behind the
 * wait take to reach Redis on an idle machine, so a claim arrives as a delayed task falls due
 * rather than a millisecond after (a claim that comes early finds nothing due and is sent again).
 */
const ARRIVAL_LEAD_MS = 1;

/** Marks a promise as handled: one function for every wait rather than a closure each. */
const ignore = (): void => {};

/**
 * Waits for a queue's wake-up marker with `BZPOPMIN`, so an idle worker costs Redis nothing. A
 * blocked connection serves one waiter at a time, so concurrent waiters (several workers of one
 * app) each take one from a small pool. A command sent right behind the wait on the same
 * connection (`then`) runs in Redis the moment the wait ends, without a round trip between.
 */
export class BlockingWaiter {
  private readonly idle: BlockingConnection[] = [];
  /**
   * Every open connection, idle or waiting. An array, not a Set: a Set that grows and shrinks on
   * every wait allocates a new hash table each time, and V8 chains a discarded table to its
   * successor, so one promoted table kept the garbage of every wait after it (heap sampling).
   */
  private readonly connections: BlockingConnection[] = [];
  /** The connections waiting under each stop signal (see `watch`). */
  private readonly waitingUnder = new WeakMap<AbortSignal, BlockingConnection[]>();
  private closed = false;

  /** `control` is a non-blocking connection used to unblock waiters on time. */
  constructor(
    private readonly url: string,
    private readonly control: Redis,
  ) {}

  /**
   * Resolves when one of `markers` is set, `ARRIVAL_LEAD_MS` before `waitMs` is up (at once for a
   * shorter wait), or at once when `signal` aborts; with `then`, to the answer of the command it
   * sends behind the wait (undefined when it did not wait).
   * A stop cuts the connection with `end()`, a half-close: a command that already ran still
   * answers (a claim's messages reach the caller, who gives them back); one that had not run
   * never will, as Redis drops the client with its unread commands.
   */
  async wait<T>(
    markers: string[],
    waitMs: number,
    signal: AbortSignal,
    then?: (blocked: ScriptedRedis) => Promise<T>,
  ): Promise<T | undefined> {
    if (waitMs <= ARRIVAL_LEAD_MS || signal.aborted) return undefined;
    const blocking = this.idle.pop() ?? this.connect();
    const cutOnAbort = this.watch(signal);
    cutOnAbort.push(blocking);
    let failed = false;
    try {
      // Awaited only on a new connection: under AsyncLocalStorage every await costs a promise.
      if (!blocking.knowsClientId) await blocking.learnClientId();
      // Unblocked on time by the connection (a delayed task due in 20 ms starts in 20 ms, not in
      // Redis's next check of timeouts); a long wait ends a little early (see earlyTimeout) and
      // the caller waits out the rest.
      blocking.startWait(earlyTimeout(waitMs - ARRIVAL_LEAD_MS));
      const redis = blocking.redis;
      // Two writes, not one corked write: a corked socket flushes through Node's `writev` path,
      // which a fresh idle worker then optimises as well (docs/performance-history.md).
      const waited = redis.sendCommand(leanSignalCommand('bzpopmin', [...markers, (waitMs + 1_000) / 1_000]));
      const next = then?.(redis);
      next?.catch(ignore); // Awaited below; a failed wait reports the error first.
      await waited;
      blocking.endWait();
      return await next;
    } catch (error) {
      failed = true;
      blocking.disconnect();
      if (!signal.aborted) throw error;
      return undefined;
    } finally {
      blocking.endWait();
      const at = cutOnAbort.indexOf(blocking);
      if (at >= 0) cutOnAbort.splice(at, 1);
      // An abort cut the connection (see watch).
      const reusable = !failed && !signal.aborted;
      if (reusable && !this.closed) this.idle.push(blocking);
      else if (!reusable) this.connections.splice(this.connections.indexOf(blocking), 1);
    }
  }

  /**
   * The connections waiting under `signal`, which are cut when it aborts. One listener per signal
   * for its whole life: adding and removing one per wait churned the signal's listener map, with
   * the same promotion chain as `connections` would have.
   */
  private watch(signal: AbortSignal): BlockingConnection[] {
    const known = this.waitingUnder.get(signal);
    if (known) return known;
    const cut: BlockingConnection[] = [];
    signal.addEventListener('abort', () => {
      for (const blocking of cut.splice(0)) blocking.disconnect();
    });
    this.waitingUnder.set(signal, cut);
    return cut;
  }

  close(): void {
    this.closed = true;
    this.idle.length = 0;
    for (const blocking of this.connections.splice(0)) blocking.disconnect();
  }

  private connect(): BlockingConnection {
    const blocking = new BlockingConnection(this.url, this.control);
    this.connections.push(blocking);
    return blocking;
  }
}
