// One worker process of bench/scaling.ts: serves `queue` with a task that sleeps for its argument.
import type * as TurbineApi from '../src/index.js';

const distEntry = '../dist/index.js';
const { Turbine } = (await import(distEntry)) as typeof TurbineApi;
const [url, queue, concurrency] = process.argv.slice(2) as [string, string, string];
const app = new Turbine({ broker: url });
app.task('sleep', async (ms: number) => {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return null;
});
const worker = app.worker({ queues: [queue], concurrency: Number(concurrency), handleSignals: true });
// Start consuming only on the parent's signal, so process start-up is not part of the measurement.
process.once('message', () => void worker.start());
process.send?.('ready');
