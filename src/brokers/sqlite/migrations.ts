import { readdirSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** Beside this module in src/, and beside the bundle in dist/ (scripts/build.mjs copies it). */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_PATTERN = /^(\d+)-[\w-]+\.sql$/;

/** One numbered schema step; its number is the `user_version` the database has once it ran. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

let cached: readonly Migration[] | undefined;

/**
 * Reads `migrations/NNN-name.sql` in version order. Versions must run 1, 2, 3… without gaps, so a
 * missing file is caught here rather than leaving a database half built.
 * @throws Error when the numbering has a gap or a duplicate.
 */
export function loadMigrations(): readonly Migration[] {
  if (cached) return cached;
  const migrations = readdirSync(MIGRATIONS_DIR)
    .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
    .filter((file): file is { name: string; match: RegExpExecArray } => file.match !== null)
    .map(({ name, match }) => ({
      version: Number(match[1]),
      name,
      sql: readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `SQLite migration ${migration.name} should be numbered ${index + 1}; check ${MIGRATIONS_DIR.pathname}`,
      );
    }
  });
  cached = migrations;
  return migrations;
}

/**
 * Brings the schema up to date: every migration above `PRAGMA user_version` runs in order, and
 * the version is raised, in one `BEGIN IMMEDIATE` transaction. Two processes opening a new file
 * at once are serialised by the write lock; the second finds the version already raised.
 * @returns the schema version now in force.
 * @throws Error when the file was written by a newer release (its version is above ours).
 */
export function applyMigrations(db: Database.Database, migrations = loadMigrations()): number {
  const latest = migrations.length;
  const migrate = db.transaction((): number => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new Error(
        `SQLite database ${db.name} has schema version ${current}, newer than this release knows (${latest}); upgrade turbine-queue`,
      );
    }
    for (const migration of migrations.slice(current)) db.exec(migration.sql);
    if (current < latest) db.pragma(`user_version = ${latest}`);
    return latest;
  });
  return migrate.immediate();
}
