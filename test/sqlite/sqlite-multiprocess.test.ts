import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/brokers/sqlite/migrations.js';
import { decodeEnvelope } from '../../src/protocol/codec.js';
import { message, tempDir, useBroker } from './sqlite-test-kit.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/sqlite-process.ts', import.meta.url));

/** A fixture process that has printed "ready". */
interface Fixture<T> {
  /** Sends "go" and resolves once the fixture has printed `marker`. */
  step(marker: string): Promise<void>;
  /** Sends the last "go" and resolves with the fixture's JSON report. */
  finish(): Promise<T>;
}

async function startFixture<T>(env: Record<string, string>): Promise<Fixture<T>> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const printed = (marker: string): Promise<void> => {
    const seen = new Promise<void>((resolve) => {
      const check = (): void => {
        if (!output.includes(marker)) return;
        child.stdout!.off('data', check);
        resolve();
      };
      child.stdout!.on('data', check);
      check();
    });
    const early = exited.then(([code]) =>
      Promise.reject(new Error(`fixture exited (${code}) before "${marker}":\n${output}`)),
    );
    early.catch(() => {});
    return Promise.race([seen, early]);
  };
  await printed('ready');
  return {
    async step(marker) {
      child.stdin!.write('go\n');
      await printed(marker);
    },
    async finish() {
      child.stdin!.end('go\n');
      const [code] = await exited;
      if (code !== 0) throw new Error(`fixture exited with ${code}:\n${output}`);
      return JSON.parse(output.trim().split('\n').at(-1)!) as T;
    },
  };
}

/**
 * Starts `count` fixtures, waits until all are ready, then releases them at one moment; with
 * `midway`, releases them again once every one has printed it.
 */
async function runTogether<T>(count: number, env: Record<string, string>, midway?: string): Promise<T[]> {
  const fixtures = await Promise.all(Array.from({ length: count }, () => startFixture<T>(env)));
  if (midway) await Promise.all(fixtures.map((fixture) => fixture.step(midway)));
  return Promise.all(fixtures.map((fixture) => fixture.finish()));
}

describe('SqliteBroker across processes', () => {
  it('lets several processes create and migrate one new file at the same moment', async () => {
    const { file } = tempDir();
    const path = file('fresh/nested/turbine.db');
    const reports = await runTogether<{ version: number; mode: string }>(4, {
      FIXTURE_MODE: 'open',
      FIXTURE_DB: path,
    });
    const version = loadMigrations().length;
    expect(reports).toEqual(Array.from({ length: 4 }, () => ({ version, mode: 'wal' })));
  });

  it('delivers each message to exactly one of several claiming processes', async () => {
    const { broker, path } = useBroker();
    const count = 3_000;
    await broker.enqueue(Array.from({ length: count }, (_, i) => message({ id: `m-${i}`, queue: 'shared' })));
    const env = { FIXTURE_MODE: 'claim', FIXTURE_DB: path, FIXTURE_QUEUE: 'shared' };
    const reports = await runTogether<{ ids: string[] }>(3, env, 'claimed');
    // They really competed: each took a share before any drained the rest ('claimed', see the fixture).
    expect(reports.filter((report) => report.ids.length > 0).length).toBeGreaterThan(1);
    const all = reports.flatMap((report) => report.ids);
    expect(all).toHaveLength(count);
    expect(new Set(all).size).toBe(count);
    expect(await broker.queueStats()).toEqual([
      { name: 'shared', waiting: 0, delayed: 0, active: 0, dlq: 0 },
    ]);
  });

  it('enqueues each chord body once while several processes join its last members together', async () => {
    const { broker, path } = useBroker();
    const chords = 300;
    const size = 3;
    // Members of one chord sit side by side, so competing claims end each chord in several processes.
    await broker.enqueue(
      Array.from({ length: chords * size }, (_, i) =>
        message({ id: `j-${i}`, queue: 'joins', args: [Math.floor(i / size), i % size, size] }),
      ),
    );
    const env = { FIXTURE_MODE: 'join', FIXTURE_DB: path, FIXTURE_QUEUE: 'joins' };
    const reports = await runTogether<{ ids: string[] }>(3, env, 'claimed');
    expect(reports.filter((report) => report.ids.length > 0).length).toBeGreaterThan(1);
    const bodies = broker.database
      .prepare<[], { id: string; envelope: string }>(
        "SELECT id, envelope FROM messages WHERE queue = 'bodies'",
      )
      .all();
    expect(bodies.map((row) => row.id).sort()).toEqual(
      Array.from({ length: chords }, (_, n) => `body-${n}`).sort(),
    );
    for (const row of bodies) expect(decodeEnvelope(row.envelope).args).toEqual([[0, 10, 20]]);
    expect(broker.database.prepare('SELECT count(*) FROM chords WHERE done = 3').pluck().get()).toBe(chords);
  });
});
