import type { DlqEntry } from '../dlq/dlq-entry.js';
import { isoTime } from './output.js';

/**
 * A DLQ entry as `--json` prints it: `failedAt` as ISO. The stored envelope is kept only when
 * `full` (inspect): in a listing it repeats args and headers for every entry.
 */
export function dlqEntryJson(entry: DlqEntry, full: boolean): Record<string, unknown> {
  const { envelope, ...rest } = entry;
  const json: Record<string, unknown> = { ...rest, failedAt: isoTime(entry.failedAt) ?? null };
  if (full && envelope !== undefined) json.envelope = envelope;
  return json;
}
