import type { Delivery } from '../broker.js';
import { decodeEnvelope, MalformedMessageError } from '../../protocol/codec.js';

/** Flags of one message in the reply of `claim-10.lua`. */
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
  const delivery: Delivery = {
    id,
    queue,
    envelope: undefined,
    deliveries,
    poisoned: (flags & FLAG_POISONED) !== 0,
    revoked: (flags & FLAG_REVOKED) !== 0,
  };
  if (flags & FLAG_MISSING) {
    delivery.problem = `no envelope is stored for message id '${printable(id)}'`;
    return delivery;
  }
  try {
    delivery.envelope = decodeEnvelope(raw);
  } catch (error) {
    delivery.raw = raw;
    delivery.problem = error instanceof MalformedMessageError ? error.message : String(error);
  }
  return delivery;
}

function printable(text: string): string {
  return text.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
}
