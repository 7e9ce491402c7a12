import type { Delivery } from './broker.js';
import { decodeEnvelope, MalformedMessageError, printable } from '../protocol/codec.js';

/**
 * A claimed message as a {@link Delivery}: its envelope decoded, or — when it is missing
 * (`raw` undefined) or not an envelope — the reason, and the bytes kept for the DLQ entry.
 */
export function decodeDelivery(
  id: string,
  queue: string,
  raw: string | undefined,
  deliveries: number,
  poisoned: boolean,
  revoked: boolean,
): Delivery {
  const delivery: Delivery = { id, queue, envelope: undefined, deliveries, poisoned, revoked };
  if (raw === undefined) {
    delivery.problem = `no envelope is stored for message id '${printable(id, 60)}'`;
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
