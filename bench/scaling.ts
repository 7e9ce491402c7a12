// Throughput of Turbine alone as concurrency, task duration and the number of worker processes
// grow (docs/performance.md). Run: `npm run bench:scaling` (builds first; measures dist/).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type * as TurbineApi from '../src/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const distEntry = '../dist/index.js';
const { Turbine } = (await import(distEntry)) as typeof TurbineApi;

interface Point {
  processes: number;
  concurrency: number;
  taskMs: number;
  tasks: number;
}

const WORKER = fileURLToPath(new URL('./scaling-worker.ts', import.meta.url));

async function measure(url: string, point: Point): Promise<number> {
  const app = new Turbine({ broker: url });
  const sleep = app.task('sleep', async (_ms: number) => null);
  const queue = `scale-${point.processes}-${point.concurrency}-${point.taskMs}`;
  for (let done = 0; done < point.tasks; done += 1_000) {
    const count = Math.min(1_000, point.tasks - done);
    await sleep.delayMany(
      Array.from({ length: count }, (): [number] => [point.taskMs]),
      { queue },
    );
  }
  const children = Array.from({ length: point.processes }, () =>
    fork(WORKER, [url, queue, String(point.concurrency)], { execArgv: ['--import', 'tsx'] }),
  );
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  const started = performance.now();
  for (const child of children) child.send('go');
  await waitUntilDrained(app, queue);
  const seconds = (performance.now() - started) / 1_000;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  await app.close();
  return point.tasks / seconds;
}

async function waitUntilDrained(app: InstanceType<typeof Turbine>, queue: string): Promise<void> {
  for (;;) {
    const stats = (await app.queues()).find((q) => q.name === queue);
    if (stats && stats.waiting + stats.active + stats.delayed === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const quick = process.argv.includes('--quick');
const scale = (n: number): number => (quick ? Math.max(50, Math.round(n / 50)) : n);
const redis = await startRedisServer();
const rows: string[] = [
  '| processes | concurrency | task duration | tasks | tasks/s | ideal tasks/s |',
  '|--:|--:|--:|--:|--:|--:|',
];
const points: Point[] = [
  ...[1, 10, 50, 200].map((concurrency) => ({ processes: 1, concurrency, taskMs: 0, tasks: scale(30_000) })),
  { processes: 1, concurrency: 50, taskMs: 1, tasks: scale(20_000) },
  { processes: 1, concurrency: 50, taskMs: 10, tasks: scale(10_000) },
  { processes: 1, concurrency: 50, taskMs: 100, tasks: scale(2_000) },
  { processes: 2, concurrency: 50, taskMs: 0, tasks: scale(30_000) },
  { processes: 2, concurrency: 50, taskMs: 10, tasks: scale(10_000) },
];
try {
  for (const point of points) {
    const rate = await measure(redis.url, point);
    const ideal =
      point.taskMs === 0
        ? '—'
        : Math.round((point.processes * point.concurrency * 1_000) / point.taskMs).toLocaleString('en-US');
    rows.push(
      `| ${point.processes} | ${point.concurrency} | ${point.taskMs} ms | ${point.tasks.toLocaleString('en-US')} | ${Math.round(rate).toLocaleString('en-US')} | ${ideal} |`,
    );
    console.log(rows.at(-1));
  }
} finally {
  await redis.stop();
}
console.log(`\n${rows.join('\n')}`);
