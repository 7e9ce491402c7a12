import type * as Fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { TurbineError } from '../../src/errors/turbine-error.js';
import { useRedisBrokers } from '../helpers/redis-brokers.js';
import { message } from '../sqlite/sqlite-test-kit.js';

// The Lua files as this process reads them: `appended` stands for an upgrade that rewrote them on
// disk while the process ran. Only reads of .lua files change; everything else reads the disk.
const disk = vi.hoisted(() => ({ appended: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const readFileSync = (...args: Parameters<typeof fs.readFileSync>): unknown => {
    const text = fs.readFileSync(...args);
    return String(args[0]).endsWith('.lua') ? `${String(text)}${disk.appended}` : text;
  };
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

const { client, makeBroker } = useRedisBrokers();

describe('Turbine functions whose Lua files changed under a running process', () => {
  it('refuses to load a library the process would not call, and says why', async () => {
    const broker = makeBroker();
    await broker.enqueue([message({ id: 'm1' })]);

    disk.appended = '\n-- a newer version';
    await client().function('FLUSH');
    const error = await broker.enqueue([message({ id: 'm2' })]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurbineError);
    expect((error as Error).message).toMatch(/Lua files in .*lua.* changed since this process started/);
    expect(await client().function('LIST')).toEqual([]);

    // The files as the process first read them load again.
    disk.appended = '';
    await broker.enqueue([message({ id: 'm2' })]);
    expect((await client().hkeys('turbine:{default}:messages')).sort()).toEqual(['m1', 'm2']);
  });
});
