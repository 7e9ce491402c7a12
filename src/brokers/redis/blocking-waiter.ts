import type { Redis } from 'ioredis';
import { earlyTimeout } from '../../util/early-timeout.js';
import { connectRedis } from './redis-connection.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';

/** Pause before unblocking again when an unblock found the connection not yet blocked. */
const UNBLOCK_RETRY_MS = 1;
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
  private readonly idle: ScriptedRedis[] = [];
  /**
   * Every open connection, idle or waiting. An array, not a Set: a Set that grows and shrinks on
   * every wait allocates a new hash table each time, and V8 chains a discarded table to its
   * successor, so one promoted table kept the garbage of every wait after it (heap sampling).
   */
  private readonly connections: ScriptedRedis[] = [];
  /** The connections waiting under each stop signal (see `watch`). */
  private readonly waitingUnder = new WeakMap<AbortSignal, ScriptedRedis[]>();
  private readonly clientIds = new Map<Redis, number>();
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
    let timer: NodeJS.Timeout | undefined;
    let waiting = true;
    try {
      const clientId = this.clientIds.get(blocking) ?? (await this.learnClientId(blocking));
      // Redis checks blocking timeouts only ~10 times a second; a local timer that unblocks the
      // connection wakes us on time (a delayed task due in 20 ms starts in 20 ms, not 100). A long
      // wait ends a little early (see earlyTimeout) and the caller waits out the rest. The unblock
      // travels on another connection and may overtake the wait it is meant to end (then Redis
      // answers 0): it is sent again until the wait has ended.
      const unblock = (): void => {
        this.control.client('UNBLOCK', clientId).then((unblocked) => {
          if (waiting && Number(unblocked) === 0) timer = setTimeout(unblock, UNBLOCK_RETRY_MS);
        }, ignore);
      };
      timer = setTimeout(unblock, earlyTimeout(waitMs - ARRIVAL_LEAD_MS));
      // The wait and the command behind it leave in one write (one system call, one read in Redis).
      const socket = blocking.status === 'ready' ? blocking.stream : undefined;
      socket?.cork();
      const waited = blocking.bzpopmin(markers, (waitMs + 1_000) / 1_000);
      const next = then?.(blocking);
      socket?.uncork();
      next?.catch(ignore); // Awaited below; a failed wait reports the error first.
      await waited;
      waiting = false;
      clearTimeout(timer);
      return await next;
    } catch (error) {
      failed = true;
      blocking.disconnect();
      if (!signal.aborted) throw error;
      return undefined;
    } finally {
      waiting = false;
      clearTimeout(timer);
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
  private watch(signal: AbortSignal): ScriptedRedis[] {
    const known = this.waitingUnder.get(signal);
    if (known) return known;
    const cut: ScriptedRedis[] = [];
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

  private connect(): ScriptedRedis {
    const blocking = defineScripts(connectRedis(this.url));
    blocking.on('error', () => {});
    // A reconnected connection has a new client id.
    blocking.on('close', () => this.clientIds.delete(blocking));
    this.connections.push(blocking);
    return blocking;
  }

  private async learnClientId(blocking: Redis): Promise<number> {
    const id = Number(await blocking.client('ID'));
    this.clientIds.set(blocking, id);
    return id;
  }
}
