import type { Delivery } from '../broker.js';
import { decodeDelivery } from '../decode-delivery.js';
import type { ClaimedRow } from './claim.js';

/** Turns a claimed row into a {@link Delivery}, decoding its envelope and saying why when that fails. */
export function rowToDelivery(row: ClaimedRow): Delivery {
  return decodeDelivery(
    row.id,
    row.queue,
    row.envelope ?? undefined,
    row.deliveries,
    row.poisoned,
    row.revoked,
  );
}
