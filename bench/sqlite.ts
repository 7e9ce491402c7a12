/** The embedded broker's database for a run: a file in a private directory, removed between runs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class BenchSqlite {
  private constructor(
    private readonly dir: string,
    readonly path: string,
  ) {}

  static create(): BenchSqlite {
    const dir = mkdtempSync(join(tmpdir(), 'turbine-bench-'));
    return new BenchSqlite(dir, join(dir, 'turbine.db'));
  }

  /** What FLUSHALL is to Redis: the next process to open the file creates and migrates it anew. */
  reset(): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(this.path + suffix, { force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
