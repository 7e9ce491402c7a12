import type { Delivery } from '../broker.js';
import { decodeDelivery } from '../decode-delivery.js';

/** Flags of one message in the reply of `claim-2.lua`. */
const FLAG_MISSING = 1;
const FLAG_REVOKED = 2;
const FLAG_POISONED = 4;

/** Turns one message of a claim reply into a delivery; bytes that are not an envelope are kept for the DLQ. */
export function toDelivery(
  queue: string,
  id: string,
  raw: string,
  deliveries: number,
  flags: number,
): Delivery {
  return decodeDelivery(
    id,
    queue,
    flags & FLAG_MISSING ? undefined : raw,
    deliveries,
    (flags & FLAG_POISONED) !== 0,
    (flags & FLAG_REVOKED) !== 0,
  );
}
