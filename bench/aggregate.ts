/** Turns per-repetition records into the rows every output shows. */
import type { RunRecord } from './runner.js';
import type { BenchCase, MetricDef } from './scenarios/types.js';
import { summarize, type Summary } from './stats.js';
import type { SystemName } from './systems/types.js';

export interface ResultRow {
  benchCase: BenchCase;
  metric: MetricDef;
  /** Median and spread over the successful repetitions; absent when a system has none. */
  summaries: Map<SystemName, Summary>;
  /** Turbine's median divided by each peer's median. */
  turbineRatios: Map<SystemName, number>;
}

export function aggregate(records: RunRecord[], cases: BenchCase[], systems: SystemName[]): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const benchCase of cases) {
    for (const metric of benchCase.metrics) {
      const summaries = new Map<SystemName, Summary>();
      for (const system of systems) {
        const values = records
          .filter((r) => r.case === benchCase.id && r.system === system && r.error === undefined)
          .map((r) => r.metrics[metric.key])
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        if (values.length > 0) summaries.set(system, summarize(values));
      }
      const turbine = summaries.get('turbine');
      const turbineRatios = new Map<SystemName, number>();
      for (const [system, summary] of summaries) {
        if (turbine && system !== 'turbine') turbineRatios.set(system, turbine.median / summary.median);
      }
      rows.push({ benchCase, metric, summaries, turbineRatios });
    }
  }
  return rows;
}
