import type { Delivery } from '../brokers/broker.js';
import type { SerializedError } from '../errors/serialize-error.js';
import type { DlqEntry } from './dlq-entry.js';

/** The DLQ entry of a delivery given up for `reason`. */
export function buildDlqEntry(
  delivery: Delivery,
  error: SerializedError,
  reason: string,
  failedAt: number,
): DlqEntry {
  const envelope = delivery.envelope;
  const entry: DlqEntry = {
    id: delivery.id,
    name: envelope?.name ?? '',
    queue: delivery.queue,
    args: envelope?.args ?? [],
    error,
    attempts: envelope?.attempt ?? 0,
    reason,
    failedAt,
  };
  if (envelope) {
    entry.envelope = envelope;
    if (envelope.tenantId !== undefined) entry.tenantId = envelope.tenantId;
    if (envelope.headers !== undefined) entry.headers = envelope.headers;
  } else if (delivery.raw !== undefined) {
    entry.raw = delivery.raw;
  }
  return entry;
}
