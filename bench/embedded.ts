// Turbine on its embedded SQLite broker next to Turbine on Redis, same machine, same workload
// (issue 3's report; docs/performance.md). Run: `npm run bench:embedded` (builds first; measures dist/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TurbineApi from '../src/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const distEntry = '../dist/index.js';
const { Turbine } = (await import(distEntry)) as typeof TurbineApi;

const quick = process.argv.includes('--quick');
const N = quick ? 500 : 20_000;

interface Row {
  broker: string;
  enqueueOne: number;
  enqueueBulk: number;
  drainC50: number;
  latencyP50: number;
}

async function measure(broker: string, url: string): Promise<Row> {
  const app = new Turbine({ broker: url });
  const noop = app.task('noop', async () => null);
  let started = performance.now();
  for (let i = 0; i < N / 4; i++) await noop.delay();
  const enqueueOne = N / 4 / ((performance.now() - started) / 1_000);

  started = performance.now();
  for (let done = 0; done < N; done += 1_000) {
    await noop.delayMany(Array.from({ length: Math.min(1_000, N - done) }, (): [] => []));
  }
  const enqueueBulk = N / ((performance.now() - started) / 1_000);

  const total = N + N / 4;
  const worker = app.worker({ concurrency: 50 });
  let completed = 0;
  let firstStart = 0;
  const drained = new Promise<void>((resolve) => {
    worker.on('task:started', () => (firstStart ||= performance.now()));
    worker.on('task:succeeded', () => {
      if (++completed === total) resolve();
    });
  });
  await worker.start();
  await drained;
  const drainC50 = total / ((performance.now() - firstStart) / 1_000);

  const samples: number[] = [];
  for (let i = 0; i < (quick ? 50 : 500); i++) {
    const sent = performance.now();
    await (await noop.delay()).get();
    samples.push(performance.now() - sent);
  }
  samples.sort((a, b) => a - b);
  await app.close();
  return { broker, enqueueOne, enqueueBulk, drainC50, latencyP50: samples[Math.floor(samples.length / 2)]! };
}

const redis = await startRedisServer();
const dir = mkdtempSync(join(tmpdir(), 'turbine-embedded-bench-'));
try {
  const rows = [
    await measure('redis', redis.url),
    await measure('sqlite', `sqlite://${join(dir, 'bench.db')}`),
  ];
  const format = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    '| broker | enqueue one (tasks/s) | enqueue bulk (tasks/s) | drain c=50 (tasks/s) | submit→result p50 (ms) |',
  );
  console.log('|---|--:|--:|--:|--:|');
  for (const row of rows) {
    console.log(
      `| ${row.broker} | ${format(row.enqueueOne)} | ${format(row.enqueueBulk)} | ${format(row.drainC50)} | ${row.latencyP50.toFixed(2)} |`,
    );
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
