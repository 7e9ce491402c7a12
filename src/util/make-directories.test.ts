import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectories } from './make-directories.js';

describe('makeDirectories', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'turbine-dirs-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates every missing level, and is a no-op once they exist', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirectories(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectories(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('throws EEXIST naming a file that stands in the way, creating nothing past it', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'not a folder');
    for (const dir of [file, join(file, 'x', 'y')]) {
      expect(() => makeDirectories(dir)).toThrow(expect.objectContaining({ code: 'EEXIST', path: file }));
    }
    expect(existsSync(join(file, 'x'))).toBe(false);
  });

  // Node 20's recursive mkdirSync spins forever on this path: with it, this test never returns.
  it.runIf(existsSync('/proc/self'))('throws rather than hangs under /proc', () => {
    expect(() => makeDirectories('/proc/turbine-no-such/queue')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});
