import type { RunRecord } from '../../bench/runner.js';
import type { BenchCase, Metrics } from '../../bench/scenarios/types.js';
import type { SystemName } from '../../bench/systems/types.js';

/** The records a run of `benchCase` would write: one per system and repetition, in that order. */
export function runRecords(
  benchCase: BenchCase,
  bySystem: Partial<Record<SystemName, Metrics[]>>,
): RunRecord[] {
  return Object.entries(bySystem).flatMap(([system, reps]) =>
    reps.map((metrics, rep) => ({
      runId: 'test',
      at: '2026-12-03T00:00:00Z',
      quick: false,
      tasks: 100,
      scenario: benchCase.scenario,
      case: benchCase.id,
      system: system as SystemName,
      rep: rep + 1,
      metrics,
      durationMs: 1,
      loadAverage: 0,
    })),
  );
}
