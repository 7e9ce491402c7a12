import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { boundLimit } from '../../src/brokers/sqlite/bound-limit.js';

const SQLITE_SOURCES = ['../../src/brokers/sqlite/', '../../src/backends/'].map((dir) =>
  fileURLToPath(new URL(dir, import.meta.url)),
);

describe('boundLimit', () => {
  it('limits rows as a bare bound parameter does', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3), (4), (5)');
    const page = db
      .prepare<[number, number], number>(`SELECT n FROM t ORDER BY n LIMIT ${boundLimit('?')} OFFSET ?`)
      .pluck();
    expect(page.all(2, 1)).toEqual([2, 3]);
    expect(page.all(10, 3)).toEqual([4, 5]);
    expect(page.all(0, 0)).toEqual([]);
    db.close();
  });

  // SQLite re-prepares a statement with a bare bound LIMIT at every run (bound-limit.ts),
  // which cost the claim ~10 % of an idle worker's CPU; nothing measures that in a test, so this
  // keeps such SQL out of the embedded broker's and backends' sources.
  it('is how every SQLite statement of ours takes a limit from a parameter', () => {
    // `?`, `?1`, `@name`, `:name` or `$name`, but not a template's `${…}`.
    const bareBound = /\bLIMIT\s+(?:\?|[@:]\w|\$(?!\{))/i;
    const offenders = SQLITE_SOURCES.flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((name) => /\.(?:ts|sql|cjs)$/.test(name) && !name.endsWith('bound-limit.ts'))
        .map((name) => join(dir, name))
        .filter((path) => bareBound.test(readFileSync(path, 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });
});
