/** Small helpers shared by the commands for what they print. */

/** Writes one line to stdout. */
export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes `value` as the single JSON document of a `--json` run. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value, 2)}\n`);
}

/** JSON that survives values JSON cannot hold (bigint becomes a string, cycles are cut). */
export function toJson(value: unknown, indent?: number): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(
      value,
      (_key, item: unknown) => {
        if (typeof item === 'bigint') return item.toString();
        if (typeof item === 'object' && item !== null) {
          if (seen.has(item)) return '[Circular]';
          seen.add(item);
        }
        return item;
      },
      indent,
    ) ?? 'undefined'
  );
}

/** An epoch-ms timestamp as ISO 8601, or undefined when unset (0 means unknown in TaskInfo). */
export function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined || ms === 0 ? undefined : new Date(ms).toISOString();
}

/** Folds any whitespace run (newlines included) into one space, so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Shortens `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** True when `stream` is a terminal that accepts colour (honours `NO_COLOR` and `TERM=dumb`). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** Bold text on a colour terminal, plain text elsewhere (pipes, files, CI logs). */
export function bold(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}
