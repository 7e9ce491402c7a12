import type { Redis } from 'ioredis';
import { connectRedis } from './redis-connection.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';

/** Pause before unblocking again when an unblock found the connection not yet blocked. */
const UNBLOCK_RETRY_MS = 1;

/**
 * Waits for a queue's wake-up marker with `BZPOPMIN`, so an idle worker costs Redis nothing. A
 * blocked connection serves one waiter at a time, so concurrent waiters (several workers of one
 * app) each take one from a small pool. A command sent right behind the wait on the same
 * connection (`then`) runs in Redis the moment the wait ends, without a round trip between.
 */
export class BlockingWaiter {
  private readonly idle: ScriptedRedis[] = [];
  private readonly busy = new Set<ScriptedRedis>();
  private readonly clientIds = new Map<Redis, number>();
  private closed = false;

  /** `control` is a non-blocking connection used to unblock waiters on time. */
  constructor(
    private readonly url: string,
    private readonly control: Redis,
  ) {}

  /**
   * Resolves when one of `markers` is set, after `waitMs`, or at once when `signal` aborts; with
   * `then`, to the answer of the command it sends behind the wait (undefined when it did not wait).
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
    if (waitMs <= 0 || signal.aborted) return undefined;
    const blocking = this.idle.pop() ?? this.connect();
    this.busy.add(blocking);
    let reusable = true;
    const onAbort = (): void => {
      reusable = false;
      blocking.disconnect();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    let waiting = true;
    try {
      const clientId = this.clientIds.get(blocking) ?? (await this.learnClientId(blocking));
      // Redis checks blocking timeouts only ~10 times a second; a local timer that unblocks the
      // connection wakes us on time (a delayed task due in 20 ms starts in 20 ms, not 100). The
      // unblock travels on another connection and may overtake the wait it is meant to end (then
      // Redis answers 0): it is sent again until the wait has ended.
      const unblock = (): void => {
        this.control.client('UNBLOCK', clientId).then(
          (unblocked) => {
            if (waiting && Number(unblocked) === 0) timer = setTimeout(unblock, UNBLOCK_RETRY_MS);
          },
          () => {},
        );
      };
      timer = setTimeout(unblock, waitMs);
      // The wait and the command behind it leave in one write (one system call, one read in Redis).
      const socket = blocking.status === 'ready' ? blocking.stream : undefined;
      socket?.cork();
      const waited = blocking.bzpopmin(...markers, (waitMs + 1_000) / 1_000);
      const next = then?.(blocking);
      socket?.uncork();
      next?.catch(() => {}); // Awaited below; a failed wait reports the error first.
      await waited;
      waiting = false;
      clearTimeout(timer);
      return await next;
    } catch (error) {
      reusable = false;
      blocking.disconnect();
      if (!signal.aborted) throw error;
      return undefined;
    } finally {
      waiting = false;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.busy.delete(blocking);
      if (reusable && !this.closed) this.idle.push(blocking);
    }
  }

  close(): void {
    this.closed = true;
    for (const blocking of [...this.idle.splice(0), ...this.busy]) blocking.disconnect();
  }

  private connect(): ScriptedRedis {
    const blocking = defineScripts(connectRedis(this.url));
    blocking.on('error', () => {});
    // A reconnected connection has a new client id.
    blocking.on('close', () => this.clientIds.delete(blocking));
    return blocking;
  }

  private async learnClientId(blocking: Redis): Promise<number> {
    const id = Number(await blocking.client('ID'));
    this.clientIds.set(blocking, id);
    return id;
  }
}
