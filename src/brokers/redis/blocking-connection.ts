import type { Redis } from 'ioredis';
import { monotonicNow } from '../../util/monotonic-now.js';
import { msUntil } from '../../util/ms-until.js';
import { connectRedis } from './redis-connection.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';

/** Pause before unblocking again when an unblock found the connection not yet blocked. */
const UNBLOCK_RETRY_MS = 1;

/** Marks a promise as handled: one function for every unblock rather than a closure each. */
const ignore = (): void => {};

/**
 * A connection that waits in `BZPOPMIN`, one wait at a time, and ends a wait on time with
 * `CLIENT UNBLOCK` sent on another connection (`control`): Redis itself checks blocking timeouts
 * only ~10 times a second.
 *
 * Most waits end on a new task, long before their time is up, so the unblock timer is lazy: a wait
 * ending leaves it armed, and a wait due no sooner than it keeps it. It wakes at its time and
 * either unblocks the wait then under way, if that one is due, or re-arms for it. An idle worker
 * set and cleared a Node timer for every task instead: ~12 µs of its CPU per task, as each new
 * duration makes Node build and drop a timer list.
 */
export class BlockingConnection {
  readonly redis: ScriptedRedis;
  private clientId: number | undefined;
  /** Counts waits, so that a late unblock of one wait never ends the next. */
  private wait = 0;
  /** When the wait under way is due to end ({@link monotonicNow} clock); Infinity when none is. */
  private dueAt = Infinity;
  private timer: NodeJS.Timeout | undefined;
  /** What the timer is set for; Infinity when unset. */
  private timerAt = Infinity;

  constructor(
    url: string,
    private readonly control: Redis,
  ) {
    this.redis = defineScripts(connectRedis(url));
    this.redis.on('error', ignore);
    // A reconnected connection has a new client id.
    this.redis.on('close', () => (this.clientId = undefined));
  }

  /** Whether the connection knows its client id, which it needs to be unblocked. */
  get knowsClientId(): boolean {
    return this.clientId !== undefined;
  }

  /** Learns the connection's client id (once per connection; see `knowsClientId`). */
  async learnClientId(): Promise<void> {
    this.clientId = Number(await this.redis.client('ID'));
  }

  /** Starts a wait that should end `ms` from now, at the latest. */
  startWait(ms: number): void {
    this.wait += 1;
    this.dueAt = monotonicNow() + ms;
    if (this.dueAt < this.timerAt) this.arm(this.dueAt);
  }

  /** The wait under way ended; its timer may stay armed (see the class comment). */
  endWait(): void {
    this.dueAt = Infinity;
  }

  /** Cuts the connection; a wait under way fails, or ends at once for a stop (see BlockingWaiter). */
  disconnect(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.redis.disconnect();
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(at), msUntil(at));
    this.timer.unref();
  }

  private expire(armedFor: number): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.dueAt <= armedFor) this.unblock(this.wait);
    else if (this.dueAt < Infinity) this.arm(this.dueAt);
  }

  /**
   * Ends wait number `wait` if it is still under way. The unblock may overtake the wait it is
   * meant to end (then Redis answers 0): it is sent again until the wait has ended.
   */
  private unblock(wait: number): void {
    if (wait !== this.wait || this.dueAt === Infinity || this.clientId === undefined) return;
    this.control.client('UNBLOCK', this.clientId).then((unblocked) => {
      if (Number(unblocked) === 0) setTimeout(() => this.unblock(wait), UNBLOCK_RETRY_MS).unref();
    }, ignore);
  }
}
