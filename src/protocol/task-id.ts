import { randomUUID } from 'node:crypto';

/** The largest value of the 12-bit counter that orders the ids of one millisecond. */
const COUNTER_MAX = 0xfff;

/** Makes task ids; `now` is the epoch milliseconds of the call, `Date.now()` when left out. */
export type TaskIdSource = (now?: number) => string;

/**
 * A source of task ids: UUIDs of version 7 (RFC 9562, section 5.7), in the order it makes them.
 * An id's first 48 bits are the epoch milliseconds `now`, the next 12 count the ids of that
 * millisecond (method 1 of section 6.2), and 62 are random. A counter that runs out moves on to
 * the next millisecond, and a clock that goes back keeps the last one, so ids only ever grow.
 *
 * The order is for the embedded broker: ids that sort as they were made keep its id indexes
 * growing at one end, so a transaction that settles fifty tasks writes a few index pages rather
 * than one per task (docs/performance.md).
 */
export function taskIdSource(): TaskIdSource {
  let lastMs = -1;
  let counter = 0;
  // The id's first 15 characters, shared by every id of one millisecond: a bulk enqueue makes thousands.
  let prefix = '';

  const startMillisecond = (ms: number): void => {
    const hex = ms.toString(16).padStart(12, '0');
    prefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
    lastMs = ms;
    counter = 0;
  };

  return (now = Date.now()) => {
    if (now > lastMs) startMillisecond(now);
    else if (counter < COUNTER_MAX) counter += 1;
    else startMillisecond(lastMs + 1);
    // A version 4 UUID is `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx`, random but for the 4 and the
    // variant V, which version 7 shares: its last 62 random bits end ours as they are.
    // randomUUID() draws from a pooled buffer of entropy, cheaper than random bytes of our own.
    return prefix + counter.toString(16).padStart(3, '0') + randomUUID().slice(18);
  };
}

/**
 * A new task id, from the process's one source (see {@link taskIdSource}).
 * @example newTaskId() // '019ad7c1-3f20-7000-9b1c-5d2e8f6a0b37'
 */
export const newTaskId: TaskIdSource = taskIdSource();
