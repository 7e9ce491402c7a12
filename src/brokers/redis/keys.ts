/**
 * Every Redis key Turbine uses, built in one place (docs/protocol.md lists them with their types
 * and lifetimes). The keys of one queue share the hash tag `{queue}` so they live in one cluster
 * slot and a script can touch them atomically.
 */
export const KEY_PREFIX = 'turbine';

/** The keys of one queue, in the order the Lua scripts expect them. */
export interface QueueKeys {
  ready: string;
  prio: string;
  delayed: string;
  messages: string;
  leases: string;
  started: string;
  redeliveries: string;
  marker: string;
  seq: string;
  dlq: string;
  dlqEntries: string;
}

const cache = new Map<string, QueueKeys>();

/** The keys of queue `queue`. */
export function queueKeys(queue: string): QueueKeys {
  let keys = cache.get(queue);
  if (!keys) {
    const base = `${KEY_PREFIX}:{${queue}}:`;
    keys = {
      ready: `${base}ready`,
      prio: `${base}prio`,
      delayed: `${base}delayed`,
      messages: `${base}messages`,
      leases: `${base}leases`,
      started: `${base}started`,
      redeliveries: `${base}redeliveries`,
      marker: `${base}marker`,
      seq: `${base}seq`,
      dlq: `${base}dlq`,
      dlqEntries: `${base}dlq:entries`,
    };
    cache.set(queue, keys);
  }
  return keys;
}

/** Set of every queue name ever used. */
export const QUEUES_KEY = `${KEY_PREFIX}:queues`;
/** Sorted set of revoked task ids, scored by when the revocation may be forgotten. */
export const REVOKED_KEY = `${KEY_PREFIX}:revoked`;
/** Pub/sub channel for control messages to workers. */
export const CONTROL_CHANNEL = `${KEY_PREFIX}:control`;
/** Prefix of result records: `turbine:result:<id>`. */
export const RESULT_PREFIX = `${KEY_PREFIX}:result:`;
/** Prefix of idempotency keys: `turbine:idem:<key>`. */
export const IDEMPOTENCY_PREFIX = `${KEY_PREFIX}:idem:`;

/** The result record key of task `id`. */
export function resultKey(id: string): string {
  return RESULT_PREFIX + id;
}
