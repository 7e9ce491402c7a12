/** Turns per-repetition records into the rows every output shows. */
import type { RunRecord } from './runner.js';
import type { BenchCase, MetricDef } from './scenarios/types.js';
import { summarize, type Summary } from './stats.js';
import { TURBINE_SYSTEMS, type SystemName } from './systems/types.js';

/** A Turbine system's median over a peer's. */
export interface Ratio {
  ours: SystemName;
  peer: SystemName;
  value: number;
}

export interface ResultRow {
  benchCase: BenchCase;
  metric: MetricDef;
  /** Median and spread over the successful repetitions; absent when a system has none. */
  summaries: Map<SystemName, Summary>;
  /** Each Turbine system over each peer, where both have a median. */
  ratios: Ratio[];
}

/** The ratio columns of a run of `systems`: each Turbine system over each peer, in that order. */
export function ratioPairs(systems: SystemName[]): { ours: SystemName; peer: SystemName }[] {
  const ours = systems.filter((system) => TURBINE_SYSTEMS.includes(system));
  const peers = systems.filter((system) => !TURBINE_SYSTEMS.includes(system));
  return ours.flatMap((turbine) => peers.map((peer) => ({ ours: turbine, peer })));
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
      const ratios = ratioPairs(systems).flatMap(({ ours, peer }) => {
        const [a, b] = [summaries.get(ours), summaries.get(peer)];
        return a && b ? [{ ours, peer, value: a.median / b.median }] : [];
      });
      rows.push({ benchCase, metric, summaries, ratios });
    }
  }
  return rows;
}
