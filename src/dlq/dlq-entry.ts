import type { SerializedError } from '../errors/serialize-error.js';
import type { Envelope } from '../protocol/envelope.js';

/** One message in the dead-letter queue (SPEC §4). */
export interface DlqEntry {
  id: string;
  name: string;
  queue: string;
  args: unknown[];
  error: SerializedError;
  /** Runs started before it was given up. */
  attempts: number;
  /** Why it is here: `'retries exhausted'`, `'permanent error'`, `'max deliveries exceeded'`, `'unknown task'`, `'undecodable message'`, `'chord member failed'`… */
  reason: string;
  /** Epoch ms. */
  failedAt: number;
  tenantId?: string;
  headers?: Record<string, string>;
  /** The original envelope, for a faithful replay (absent for undecodable messages). */
  envelope?: Envelope;
  /** The stored bytes of an undecodable message. */
  raw?: string;
}
