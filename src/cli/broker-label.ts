/**
 * How a broker URL is shown to people: the password masked (it would otherwise land in logs and
 * terminal scrollback), the embedded broker named when there is no URL.
 */
export function brokerLabel(url: string | undefined): string {
  if (url === undefined || url === '') return 'embedded SQLite';
  return redactUrl(url);
}

/** The broker's technology, from its URL scheme (`redis`, `rediss`, `sqlite`). */
export function brokerKind(url: string | undefined): string {
  if (url === undefined || url === '') return 'sqlite';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  return scheme?.toLowerCase() ?? 'unknown';
}

/** `url` with any password replaced by `***`; unparsable input is returned unchanged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
