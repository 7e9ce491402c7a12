// BEST_PRACTICES § Monitoring and Observability → Custom Metrics.
// A duration histogram fed by the worker's events, so no task needs timing code. This is a plain
// in-memory histogram with Prometheus' buckets and text format; prom-client's would plug in the same way.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Turbine } from '../src/index.js';

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Observations per label value: cumulative bucket counts, sum and count. */
export class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly label: string,
    readonly bounds = DEFAULT_BUCKETS,
  ) {}

  observe(labelValue: string, value: number): void {
    const s = this.series.get(labelValue) ?? { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.series.set(labelValue, s);
    this.bounds.forEach((bound, i) => {
      if (value <= bound) s.buckets[i]!++;
    });
    s.sum += value;
    s.count++;
  }

  /** The Prometheus text format of every series. */
  render(): string {
    const lines: string[] = [`# TYPE ${this.name} histogram`];
    for (const [value, s] of this.series) {
      const l = `${this.label}="${value}"`;
      this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{${l},le="${b}"} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${l},le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum{${l}} ${s.sum}`, `${this.name}_count{${l}} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export async function customMetrics(app: Turbine, sleepsMs: number[], queue = 'default') {
  const taskDuration = new Histogram('my_task_duration_seconds', 'task_name');
  const monitoredTask = app.task('monitored_task', { queue }, async (ms: number) => {
    await sleep(ms); // do_work()
    return ms;
  });

  const worker = app.worker({ queues: [queue] });
  let observed = 0;
  const allObserved = new Promise<void>((resolve) =>
    worker.on('task:succeeded', (e) => {
      taskDuration.observe(e.name, e.durationMs / 1000);
      if (++observed === sleepsMs.length) resolve();
    }),
  );
  await worker.start();
  try {
    await monitoredTask.delayMany(sleepsMs.map((ms): [number] => [ms]));
    await allObserved;
    return taskDuration.render();
  } finally {
    await worker.stop();
  }
}
