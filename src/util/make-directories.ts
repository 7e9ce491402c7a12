import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `dir` and any missing parents, one level at a time. Not `mkdirSync(dir, { recursive:
 * true })`: on Node 20 it never returns where `mkdir` fails with ENOENT under a parent that exists
 * (any path under `/proc`), where this throws that ENOENT.
 * @throws the `mkdir` error of the first level that cannot be created (EEXIST for a file in the
 * way, EACCES, ENOENT…).
 */
export function makeDirectories(dir: string): void {
  if (existsSync(dir)) {
    // A file in the way: mkdir's own error (EEXIST) names it.
    if (!statSync(dir).isDirectory()) mkdirSync(dir);
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirectories(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // Created meanwhile by another process opening the same database.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
