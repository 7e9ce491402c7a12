/**
 * Entry point of every forked benchmark process: one system, one role, one measurement.
 * Keeping each measured side in a fresh process means no system shares a heap, JIT state or
 * event loop with another system or with the orchestrator.
 */
import { calibrateEpoch, epochNow, now, sleep } from './clock.js';
import {
  describeError,
  type ChildMessage,
  type ChildSpec,
  type MemorySample,
  type ParentMessage,
  type ProducerSpec,
  type WorkerSpec,
} from './protocol.js';
import { loadSystem } from './systems/index.js';
import type { BenchSystem } from './systems/types.js';
import { cpuBetween, readThreadCpu, type ThreadCpu } from './thread-cpu.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('bench/child.ts must be started by bench/main.ts (fork)'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Completion stamps relayed by the parent, consumed in order by the latency producer. */
const relayed: number[] = [];
let onRelayed: (() => void) | undefined;
process.on('message', (message: ParentMessage) => {
  if (message.type !== 'completed') return;
  relayed.push(message.at);
  onRelayed?.();
});

async function nextRelayed(): Promise<number> {
  while (relayed.length === 0) await new Promise<void>((resolve) => (onRelayed = resolve));
  return relayed.shift() as number;
}

async function sampleMemory(settleMs: number): Promise<MemorySample> {
  await sleep(settleMs);
  // Collected first so the sample shows what the worker retains, not garbage awaiting collection.
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 2 ** 20, heapUsedMb: heapUsed / 2 ** 20 };
}

async function runWorker(system: BenchSystem, spec: WorkerSpec, baseline?: MemorySample): Promise<void> {
  let count = 0;
  let firstStartAt = Number.NaN;
  let lastCompleteAt = Number.NaN;
  let cpuAtFirstStart: ThreadCpu | undefined;
  const lateness: number[] = [];
  let settle!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A failure can arrive before `await finished` below; mark it handled so Node does not abort.
  finished.catch(() => undefined);

  calibrateEpoch(); // Before any task: it spins ~5 ms.
  await system.startWorker({
    concurrency: spec.concurrency,
    onStart(dueAt) {
      if (Number.isNaN(firstStartAt)) {
        firstStartAt = now();
        markWindow('first task started');
        if (spec.measureThreadCpu) cpuAtFirstStart = readThreadCpu();
      }
      // Due times are whole epoch ms, as the systems schedule them; lateness is stamped finer.
      if (dueAt !== undefined) lateness.push(epochNow() - dueAt);
    },
    onComplete() {
      lastCompleteAt = now();
      count += 1;
      if (spec.relayCompletions) send({ type: 'completed', at: lastCompleteAt }).catch(settle);
      if (count === spec.expect) settle();
    },
    onError: (error) => settle(error ?? new Error('task failed')),
  });
  const idle = spec.memorySettleMs === undefined ? undefined : await sampleMemory(spec.memorySettleMs);
  await send({ type: 'ready', ...(idle && { memory: idle }), ...(baseline && { baseline }) });

  await finished;
  markWindow('last task completed');
  const threadCpu = cpuBetween(cpuAtFirstStart, spec.measureThreadCpu ? readThreadCpu() : undefined);
  const after = spec.memorySettleMs === undefined ? undefined : await sampleMemory(spec.memorySettleMs);
  await system.close();
  await send({
    type: 'finished',
    count,
    firstStartAt,
    lastCompleteAt,
    lateness,
    ...(after && { memory: after }),
    ...(threadCpu && { threadCpu }),
  });
}

/**
 * With BENCH_CHILD_LOGS set, a line in the worker's log where the measured tasks begin and end, so
 * a trace there (`--trace-deopt`, `--trace-gc`) can be cut to the window the figures cover.
 */
function markWindow(edge: string): void {
  if (process.env.BENCH_CHILD_LOGS) console.log(`[bench] ${edge}`);
}

/** A due time (epoch ms, whole: an `eta` Date holds no more) uniformly `minMs`–`maxMs` from now. */
function dueTime(minMs: number, maxMs: number): number {
  return Math.round(Date.now() + minMs + Math.random() * (maxMs - minMs));
}

async function runProducer(system: BenchSystem, spec: ProducerSpec): Promise<void> {
  const samples: number[] = [];
  const cpuAtStart = spec.measureThreadCpu ? readThreadCpu() : undefined;
  const startedAt = now();
  switch (spec.mode) {
    case 'one':
      for (let i = 0; i < spec.count; i++) await system.enqueueOne();
      break;
    case 'bulk':
      for (let done = 0; done < spec.count; done += spec.batch) {
        await system.enqueueBulk(Math.min(spec.batch, spec.count - done));
      }
      break;
    case 'window': {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < spec.count) {
          next += 1;
          await system.enqueueOne();
        }
      };
      await Promise.all(Array.from({ length: spec.window }, lane));
      break;
    }
    case 'latency':
      for (let i = 0; i < spec.warmup + spec.count; i++) {
        const sentAt = now();
        await system.enqueueOne();
        const completedAt = await nextRelayed();
        samples.push(completedAt - sentAt);
      }
      break;
    case 'delayed-stream':
      for (let i = 0; i < spec.count; i++) {
        // A steady rate well below capacity: lateness should show scheduling, not a backlog.
        const wait = startedAt + (i * 1000) / spec.ratePerSec - now();
        if (wait > 0) await sleep(wait);
        await system.enqueueAt(dueTime(spec.minDelayMs, spec.maxDelayMs));
      }
      break;
    case 'delayed-sequential':
      for (let i = 0; i < spec.count; i++) {
        await system.enqueueAt(dueTime(spec.minDelayMs, spec.maxDelayMs));
        await nextRelayed();
      }
      break;
  }
  const endedAt = now();
  const threadCpu = cpuBetween(cpuAtStart, spec.measureThreadCpu ? readThreadCpu() : undefined);
  await system.close();
  await send({ type: 'done', startedAt, endedAt, samples, ...(threadCpu && { threadCpu }) });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
  // An orphan would keep consuming from the next run's queue: leave with the parent.
  process.on('disconnect', () => process.exit(1));
  try {
    // The harness's own footprint (Node and this file), before any queue library is loaded.
    const measure = spec.role === 'worker' && spec.memorySettleMs !== undefined;
    const baseline = measure ? await sampleMemory(0) : undefined;
    const system = await (await loadSystem(spec.system))(spec.target, spec.role);
    if (spec.role === 'worker') await runWorker(system, spec, baseline);
    else await runProducer(system, spec);
  } catch (error) {
    await send({ type: 'error', message: describeError(error) }).catch(() => undefined);
    process.exit(1);
  }
  // Some clients keep timers alive after close(); the measurement is over, so exit outright.
  process.exit(0);
}

await main();
