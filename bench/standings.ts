/**
 * Where one system stands against another, metric by metric, in one run: the verdicts the report's
 * ratio columns show, kept as data so that runs can be counted (`npm run bench:history`).
 */
import type { ResultRow } from './aggregate.js';
import { rangesApart } from './stats.js';
import type { SystemName } from './systems/types.js';

/** One metric on which `ours` is not level with `peer` by the medians. */
export interface Standing {
  /** `case.metric`, as in `results.jsonl`: `latency.warmupP99Ms`. */
  metric: string;
  /** Our median over the peer's. */
  ratio: number;
  ahead: boolean;
  /** The two min–max ranges are apart: the run tells the systems apart, not just their medians. */
  decided: boolean;
}

/**
 * Every metric of `rows` on which `ours` is ahead of or behind `peer` by the medians. Metrics that
 * measure the harness rather than the system (see `MetricDef.control`) and those either system
 * lacks are left out.
 */
export function standings(rows: readonly ResultRow[], ours: SystemName, peer: SystemName): Standing[] {
  return rows.flatMap(({ benchCase, metric, summaries }) => {
    const [mine, theirs] = [summaries.get(ours), summaries.get(peer)];
    if (metric.control || !mine || !theirs || mine.median === theirs.median) return [];
    const ratio = mine.median / theirs.median;
    const ahead = metric.better === 'higher' ? ratio > 1 : ratio < 1;
    return [{ metric: `${benchCase.id}.${metric.key}`, ratio, ahead, decided: rangesApart(mine, theirs) }];
  });
}
