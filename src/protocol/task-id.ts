import { randomUUID } from 'node:crypto';

// The prefix is the same for every id of one millisecond; a bulk enqueue makes hundreds of them.
let prefixMs = Number.NaN;
let prefix = '';

/**
 * A new task id: a UUID of version 7 (RFC 9562, section 5.7), whose first 48 bits are the epoch
 * milliseconds `now` and the other 74 random. Ids made close in time sort close together, so the
 * embedded broker's id indexes grow at one end: a transaction that settles fifty tasks writes a
 * few index pages, where random ids wrote one page per task and index (docs/performance.md).
 * @example newTaskId() // '019ad7c1-3f20-7a4e-9b1c-5d2e8f6a0b37'
 */
export function newTaskId(now: number = Date.now()): string {
  if (now !== prefixMs) {
    const hex = now.toString(16).padStart(12, '0');
    prefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
    prefixMs = now;
  }
  // A version 4 UUID is `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx`, random but for the 4 and the
  // variant V, which version 7 shares: its last 74 random bits follow the prefix as they are.
  // randomUUID() draws from a pooled buffer of entropy, cheaper than a random buffer of our own.
  return prefix + randomUUID().slice(15);
}
