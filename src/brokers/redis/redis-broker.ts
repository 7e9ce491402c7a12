import type { Redis } from 'ioredis';
import type {
  Broker,
  ClaimRequest,
  ClaimResult,
  ControlMessage,
  Delivery,
  EnqueueOutcome,
  MessageLocation,
  OutgoingMessage,
  QueueStats,
  Settlement,
  StartMark,
  Unsubscribe,
} from '../broker.js';
import { REVOCATION_MEMORY_MS } from '../broker.js';
import { QueueRotation } from '../queue-rotation.js';
import { decodeEnvelope } from '../../protocol/codec.js';
import type { Envelope } from '../../protocol/envelope.js';
import type { ResultRecord } from '../../protocol/result-record.js';
import {
  CONTROL_CHANNEL,
  KEY_PREFIX,
  QUEUES_KEY,
  queueKeys,
  RESULT_PREFIX,
  resultKey,
  REVOKED_KEY,
} from './keys.js';
import { connectRedis } from './redis-connection.js';
import { RedisDlqStore } from './redis-dlq-store.js';
import { queuesToSearch } from './redis-locator.js';
import { defineScripts, type ScriptedRedis } from './scripts.js';
import { BlockingWaiter } from './blocking-waiter.js';
import { enqueueArgs, groupByQueue, markDuplicates, messageArgs } from './enqueue-args.js';
import { recordArgs, settleArgs, settleArgsByQueue, sharedQueue } from './settle-args.js';
import { toDelivery } from './to-delivery.js';

/** Messages per script call when enqueueing in bulk; calls are pipelined, so a list is one round trip. */
const ENQUEUE_CHUNK = 5_000;
/** The positions of a one-message enqueue, for `markDuplicates`. */
const ONLY_MESSAGE: readonly number[] = [0];

/** Options of {@link RedisBroker}. */
export interface RedisBrokerOptions {
  url: string;
  /** Write result records while settling (the result backend is this same Redis). @defaultValue true */
  writesRecords?: boolean;
  /** Injectable clock for tests. @defaultValue Date.now */
  clock?: () => number;
}

/**
 * The Redis broker: per queue a list (priority 0) and a sorted set (priorities 1–255) of ready ids,
 * a hash of envelopes, a sorted set of delayed ids and one of leases. Every state transition is
 * one Lua script (see `lua/`); docs/protocol.md lists the keys.
 */
export class RedisBroker implements Broker {
  readonly kind = 'redis';
  readonly writesRecords: boolean;
  readonly dlq: RedisDlqStore;
  private readonly redis: ScriptedRedis;
  private readonly url: string;
  private readonly clock: () => number;
  private readonly registeredQueues = new Set<string>();
  private readonly waiter: BlockingWaiter;
  private readonly rotation = new QueueRotation();

  constructor(options: RedisBrokerOptions) {
    this.url = options.url;
    this.writesRecords = options.writesRecords ?? true;
    this.clock = options.clock ?? Date.now;
    this.redis = defineScripts(connectRedis(options.url));
    this.redis.on('error', () => {
      // Connection errors surface through the commands that fail; ioredis reconnects by itself.
    });
    this.dlq = new RedisDlqStore(this.redis);
    this.waiter = new BlockingWaiter(options.url, this.redis);
  }

  /** The underlying client, for the result backend sharing this connection and for tests. */
  get client(): Redis {
    return this.redis;
  }

  enqueue(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    return messages.length === 1 ? this.enqueueOne(messages[0]!) : this.enqueueMany(messages);
  }

  /** What each `delay()` sends: one message needs no grouping by queue, so it allocates less. */
  private async enqueueOne(message: OutgoingMessage): Promise<EnqueueOutcome[]> {
    const { id, queue } = message.envelope;
    this.register(queue);
    const args = messageArgs(message, this.clock());
    const reply = await this.redis.turbineEnqueue(queueKeys(queue).messages, ...args);
    const outcomes: EnqueueOutcome[] = [{ id, duplicate: false }];
    markDuplicates(reply, ONLY_MESSAGE, outcomes);
    return outcomes;
  }

  private async enqueueMany(messages: readonly OutgoingMessage[]): Promise<EnqueueOutcome[]> {
    const now = this.clock();
    // Not a duplicate unless the script says so: it reports duplicates only.
    const outcomes = messages.map(({ envelope }): EnqueueOutcome => ({ id: envelope.id, duplicate: false }));
    const chunks: number[][] = [];
    const replies: Promise<unknown>[] = [];
    for (const [queue, indexes] of groupByQueue(messages)) {
      this.register(queue);
      const messagesKey = queueKeys(queue).messages;
      for (let start = 0; start < indexes.length; start += ENQUEUE_CHUNK) {
        const chunk = indexes.length <= ENQUEUE_CHUNK ? indexes : indexes.slice(start, start + ENQUEUE_CHUNK);
        chunks.push(chunk);
        replies.push(this.redis.turbineEnqueue(messagesKey, ...enqueueArgs(messages, chunk, now)));
      }
    }
    // One call, the common case, is awaited directly: a Promise.all costs a turn per submission.
    const answers = replies.length === 1 ? [await replies[0]] : await Promise.all(replies);
    answers.forEach((reply, i) => markDuplicates(reply, chunks[i]!, outcomes));
    return outcomes;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const { queues } = request;
    const settling = request.settle ?? [];
    if (settling.length > 0) {
      if (queues.length === 1 && sharedQueue(settling) === queues[0]) {
        return this.settleAndClaim(queues[0]!, settling, request);
      }
      if (queues.length > 1 && settling.every(({ delivery }) => queues.includes(delivery.queue))) {
        return this.settleAndClaimMany(settling, request);
      }
      await this.settle(settling);
    }
    if (queues.length === 0 || request.max <= 0) return { deliveries: [], nextWakeAt: undefined };
    if (queues.length > 1) {
      const order = this.rotation.next(queues);
      const reply = await this.redis.turbineClaimMany(...this.claimManyArgs(order, this.clock(), request));
      return claimManyResult(order, reply);
    }
    const queue = queues[0]!;
    const reply = await this.redis.turbineClaim(...this.claimArgs(queue, this.clock(), request));
    return claimResult(queue, reply);
  }

  /** The arguments of a claim on one queue (`claim-2`), which `settle-claim-2` starts with too. */
  private claimArgs(queue: string, now: number, request: ClaimRequest): (string | number)[] {
    this.register(queue);
    return [queueKeys(queue).messages, REVOKED_KEY, now, request.max, request.leaseMs, request.maxDeliveries];
  }

  /** The arguments of a claim over several queues (`claim-many-n`), tried in the order given. */
  private claimManyArgs(queues: readonly string[], now: number, request: ClaimRequest): (string | number)[] {
    const args: (string | number)[] = [queues.length + 1, REVOKED_KEY];
    for (const queue of queues) {
      this.register(queue);
      args.push(queueKeys(queue).messages);
    }
    args.push(now, request.max, request.leaseMs, request.maxDeliveries);
    return args;
  }

  /** Settles then claims on one queue in one script call: one round trip per busy cycle. */
  private async settleAndClaim(
    queue: string,
    settlements: readonly Settlement[],
    request: ClaimRequest,
  ): Promise<ClaimResult> {
    const tail = settleArgs(settlements, this.writesRecords);
    const reply = await this.redis.turbineSettleClaim(
      ...this.claimArgs(queue, this.clock(), request),
      RESULT_PREFIX,
      KEY_PREFIX,
      ...tail,
    );
    return claimResult(queue, reply);
  }

  /**
   * Settles outcomes of several queues, then claims over them, in one script call: what
   * `settleAndClaim` does for a busy worker of one queue. Each queue's settle arguments follow the
   * index of its key and their own length, so the function knows where each queue's arguments end.
   */
  private async settleAndClaimMany(
    settlements: readonly Settlement[],
    request: ClaimRequest,
  ): Promise<ClaimResult> {
    const order = this.rotation.next(request.queues);
    const args = this.claimManyArgs(order, this.clock(), request);
    args.push(RESULT_PREFIX, KEY_PREFIX);
    for (const [queue, tail] of settleArgsByQueue(settlements, this.writesRecords)) {
      // KEYS[1] is the revoked set; each queue's messages key follows in claim order.
      args.push(order.indexOf(queue) + 2, tail.length, ...tail);
    }
    const reply = await this.redis.turbineSettleClaimMany(...args);
    return claimManyResult(order, reply);
  }

  /**
   * Blocks on the queues' wake-up markers. With `then`, the worker's next claim goes on the blocked
   * connection, right behind the wait: Redis runs it the moment the wait ends, which saves the
   * round trip from wake-up to claim. It was sent before the wait, so it reads the clock in Redis
   * (`now` 0) rather than carry a stale one.
   */
  async waitForWork(
    queues: readonly string[],
    untilMs: number,
    signal: AbortSignal,
    then?: ClaimRequest,
  ): Promise<ClaimResult | undefined> {
    // Built by push, not map: Node 20's optimized map returns a holey array where the interpreter
    // returned a packed one, and that change of shape deoptimized the wait and ~20 functions with it.
    const markers: string[] = [];
    for (const queue of queues) markers.push(queueKeys(queue).marker);
    const waitMs = untilMs - this.clock();
    if (!then || (then.settle?.length ?? 0) > 0) {
      await this.waiter.wait(markers, waitMs, signal);
      return undefined;
    }
    if (queues.length > 1) return this.waitThenClaimMany(markers, waitMs, signal, then);
    const queue = queues[0]!;
    const claimArgs = this.claimArgs(queue, 0, then);
    const reply = await this.waiter.wait(markers, waitMs, signal, (blocked) =>
      blocked.turbineClaim(...claimArgs),
    );
    return reply === undefined ? undefined : claimResult(queue, reply);
  }

  /** `waitForWork` for a worker of several queues: one claim over all of them behind the wait. */
  private async waitThenClaimMany(
    markers: string[],
    waitMs: number,
    signal: AbortSignal,
    then: ClaimRequest,
  ): Promise<ClaimResult | undefined> {
    const order = this.rotation.next(then.queues);
    const args = this.claimManyArgs(order, 0, then);
    const reply = await this.waiter.wait(markers, waitMs, signal, (blocked) =>
      blocked.turbineClaimMany(...args),
    );
    return reply === undefined ? undefined : claimManyResult(order, reply);
  }

  async markStarted(marks: readonly StartMark[], workerId: string): Promise<void> {
    const byQueue = new Map<string, string[]>();
    for (const { delivery, startedAt } of marks) {
      const fields = byQueue.get(delivery.queue) ?? [];
      fields.push(delivery.id, `${workerId}|${startedAt}`);
      byQueue.set(delivery.queue, fields);
    }
    // Written to the connection now, so a settle sent later removes the marks after they land.
    await Promise.all(
      [...byQueue].map(([queue, fields]) => this.redis.hset(queueKeys(queue).started, ...fields)),
    );
  }

  async extendLeases(deliveries: readonly Delivery[], leaseMs: number): Promise<void> {
    const deadline = this.clock() + leaseMs;
    const byQueue = new Map<string, (string | number)[]>();
    for (const delivery of deliveries) {
      const args = byQueue.get(delivery.queue) ?? [];
      args.push(deadline, delivery.id);
      byQueue.set(delivery.queue, args);
    }
    await Promise.all(
      [...byQueue].map(([queue, args]) => this.redis.zadd(queueKeys(queue).leases, 'XX', ...args)),
    );
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    const now = this.clock();
    // One queue, the common case (an idle worker settles once per task), needs no grouping.
    const only = sharedQueue(settlements);
    if (only !== undefined) {
      await this.settleOn(only, now, settleArgs(settlements, this.writesRecords));
      return;
    }
    const calls: Promise<unknown>[] = [];
    for (const [queue, tail] of settleArgsByQueue(settlements, this.writesRecords)) {
      calls.push(this.settleOn(queue, now, tail));
    }
    await Promise.all(calls);
  }

  private settleOn(queue: string, now: number, tail: (string | number)[]): Promise<unknown> {
    return this.redis.turbineSettle(queueKeys(queue).messages, now, RESULT_PREFIX, KEY_PREFIX, ...tail);
  }

  async revoke(id: string, record: ResultRecord | undefined): Promise<void> {
    // The caller found the queue when it built the record: look there first.
    const location = await this.locate(id, record?.queue || undefined);
    const message = JSON.stringify({ kind: 'revoke', id } satisfies ControlMessage);
    const [encoded, ttlMs] = recordArgs(record, this.writesRecords);
    const rememberUntil = this.clock() + REVOCATION_MEMORY_MS;
    if (!location) {
      // Not (or no longer) in any queue: remember the revocation for a message still in flight,
      // and record it unless a result already exists.
      const tx = this.redis.multi().zadd(REVOKED_KEY, rememberUntil, id).publish(CONTROL_CHANNEL, message);
      if (encoded) tx.set(resultKey(id), encoded, 'PX', ttlMs, 'NX');
      await tx.exec();
      return;
    }
    const keys = queueKeys(location.queue);
    await this.redis.turbineRevoke(
      keys.ready,
      keys.prio,
      keys.delayed,
      keys.messages,
      keys.leases,
      REVOKED_KEY,
      resultKey(id),
      keys.redeliveries,
      id,
      rememberUntil,
      encoded,
      ttlMs,
      CONTROL_CHANNEL,
      message,
    );
  }

  async locate(id: string, queueHint?: string): Promise<MessageLocation | undefined> {
    for (const queue of await queuesToSearch(this.redis, queueHint)) {
      const keys = queueKeys(queue);
      const replies = (await this.redis
        .multi()
        .hget(keys.messages, id)
        .zscore(keys.leases, id)
        .hget(keys.started, id)
        .zscore(keys.delayed, id)
        .exec()) as [unknown, string | null][];
      const [raw, lease, started, due] = replies.map(([, value]) => value);
      if (raw === null || raw === undefined) continue;
      let envelope: Envelope | undefined;
      try {
        envelope = decodeEnvelope(raw);
      } catch {
        envelope = undefined;
      }
      if (lease !== null && lease !== undefined) {
        if (!started) return { queue, state: 'RECEIVED', envelope };
        const [workerId, startedAt] = started.split('|');
        return { queue, state: 'STARTED', envelope, workerId: workerId!, startedAt: Number(startedAt) };
      }
      const retrying = due !== null && due !== undefined && (envelope?.attempt ?? 1) > 1;
      return { queue, state: retrying ? 'RETRY' : 'PENDING', envelope };
    }
    return undefined;
  }

  async subscribeControl(handler: (message: ControlMessage) => void): Promise<Unsubscribe> {
    const subscriber = this.redis.duplicate({ enableAutoPipelining: false });
    subscriber.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => {
      try {
        handler(JSON.parse(text) as ControlMessage);
      } catch {
        // A malformed control message is ignored; it carries no task.
      }
    });
    await subscriber.subscribe(CONTROL_CHANNEL);
    return async () => {
      subscriber.disconnect();
    };
  }

  async queueStats(): Promise<QueueStats[]> {
    const queues = await queuesToSearch(this.redis);
    return Promise.all(
      queues.map(async (name) => {
        const keys = queueKeys(name);
        const replies = (await this.redis
          .multi()
          .llen(keys.ready)
          .zcard(keys.prio)
          .zcard(keys.delayed)
          .zcard(keys.leases)
          .zcard(keys.dlq)
          .exec()) as [unknown, number][];
        const [ready, prio, delayed, active, dlq] = replies.map(([, count]) => count) as number[];
        return { name, waiting: ready! + prio!, delayed: delayed!, active: active!, dlq: dlq! };
      }),
    );
  }

  async purge(queue: string): Promise<number> {
    const keys = queueKeys(queue);
    return Number(await this.redis.turbinePurge(keys.ready, keys.prio, keys.delayed, keys.messages));
  }

  isHealthy(): boolean {
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    this.waiter.close();
    try {
      await Promise.race([this.redis.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    } catch {
      // Already closed or unreachable: nothing left to flush.
    }
    this.redis.disconnect();
  }

  private register(queue: string): void {
    if (this.registeredQueues.has(queue)) return;
    this.registeredQueues.add(queue);
    this.redis.sadd(QUEUES_KEY, queue).catch(() => this.registeredQueues.delete(queue));
  }
}

/** The claim result of one queue's claim reply. */
function claimResult(queue: string, reply: unknown): ClaimResult {
  const deliveries: Delivery[] = [];
  const wakeAt = readClaimReply(queue, reply, deliveries);
  return { deliveries, nextWakeAt: wakeAt >= 0 ? wakeAt : undefined };
}

/** The answer to a claim over several queues (`claim-many-n`): one claim reply per queue tried. */
function claimManyResult(queues: readonly string[], reply: unknown): ClaimResult {
  const deliveries: Delivery[] = [];
  let nextWakeAt: number | undefined;
  (reply as unknown[]).forEach((queueReply, i) => {
    const wakeAt = readClaimReply(queues[i]!, queueReply, deliveries);
    if (wakeAt >= 0 && (nextWakeAt === undefined || wakeAt < nextWakeAt)) nextWakeAt = wakeAt;
  });
  return { deliveries, nextWakeAt };
}

/**
 * Appends the deliveries of a claim reply (`includes/claim.lua`) to `deliveries`; returns its
 * next wake-up time (-1 = none).
 */
function readClaimReply(queue: string, reply: unknown, deliveries: Delivery[]): number {
  const flat = reply as (string | number)[];
  const count = Number(flat[1]);
  // Redelivered or flagged messages follow the pairs as (position, deliveries, flags): where each
  // one's triple starts, by position. Most replies have none.
  let tripleAt: Map<number, number> | undefined;
  for (let k = 2 + 2 * count; k < flat.length; k += 3) (tripleAt ??= new Map()).set(Number(flat[k]), k);
  for (let position = 1; position <= count; position++) {
    const id = String(flat[2 * position]);
    const raw = String(flat[2 * position + 1]);
    const k = tripleAt?.get(position);
    deliveries.push(
      k === undefined
        ? toDelivery(queue, id, raw, 1, 0)
        : toDelivery(queue, id, raw, Number(flat[k + 1]), Number(flat[k + 2])),
    );
  }
  return Number(flat[0]);
}
