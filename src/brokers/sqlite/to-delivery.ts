import type { Delivery } from '../broker.js';
import { decodeEnvelope, MalformedMessageError } from '../../protocol/codec.js';
import type { ClaimedRow } from './claim.js';

/** Turns a claimed row into a {@link Delivery}, decoding its envelope and saying why when that fails. */
export function toDelivery(row: ClaimedRow): Delivery {
  const delivery: Delivery = {
    id: row.id,
    queue: row.queue,
    envelope: undefined,
    deliveries: row.deliveries,
    poisoned: row.poisoned,
    revoked: row.revoked,
  };
  if (row.envelope === null) {
    delivery.problem = `no envelope is stored for message id '${printable(row.id)}'`;
    return delivery;
  }
  try {
    delivery.envelope = decodeEnvelope(row.envelope);
  } catch (error) {
    delivery.raw = row.envelope;
    delivery.problem = error instanceof MalformedMessageError ? error.message : String(error);
  }
  return delivery;
}

function printable(text: string): string {
  return text.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
}
