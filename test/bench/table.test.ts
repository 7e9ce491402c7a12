import { describe, expect, it } from 'vitest';
import { aggregate } from '../../bench/aggregate.js';
import type { RunRecord } from '../../bench/runner.js';
import type { BenchCase } from '../../bench/scenarios/types.js';
import { rangesOverlap } from '../../bench/stats.js';
import type { SystemName } from '../../bench/systems/types.js';
import { markdownTable } from '../../bench/table.js';
import { runRecords } from './run-records.js';

const throughput: BenchCase = {
  id: 'enqueue-one',
  scenario: 'enqueue',
  title: 'enqueue one at a time',
  metrics: [{ key: 'tasksPerSec', label: 'tasks/s', better: 'higher' }],
  run: () => Promise.reject(new Error('not run here')),
};

function records(values: Partial<Record<SystemName, number[]>>): RunRecord[] {
  const bySystem = Object.fromEntries(
    Object.entries(values).map(([system, reps]) => [system, reps.map((tasksPerSec) => ({ tasksPerSec }))]),
  );
  return runRecords(throughput, bySystem);
}

/** The header and the only row of the Markdown table, cell by cell. */
function table(values: Partial<Record<SystemName, number[]>>, systems: SystemName[]): string[][] {
  const lines = markdownTable(aggregate(records(values), [throughput], systems), systems).split('\n');
  return [lines[0]!, lines[2]!].map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

/** The ratio cells of the only row (every column after the systems' own). */
function ratios(values: Partial<Record<SystemName, number[]>>, systems: SystemName[]): string[] {
  return table(values, systems)[1]!.slice(2 + systems.length);
}

describe('bench table ratios', () => {
  it('puts a ratio in parentheses when the two ranges overlap', () => {
    const systems: SystemName[] = ['turbine', 'bullmq', 'bee-queue'];
    const cells = ratios(
      { turbine: [7_400, 7_500, 8_800], bullmq: [5_700, 5_800, 5_900], 'bee-queue': [8_700, 9_400, 9_700] },
      systems,
    );
    // BullMQ's best rep is below Turbine's worst: decided. bee-queue's worst is below Turbine's best: not.
    expect(cells).toEqual(['1.29×', '(0.80×)']);
  });

  it('leaves a single repetition unmarked: there is no range to compare', () => {
    expect(ratios({ turbine: [100], bullmq: [110] }, ['turbine', 'bullmq'])).toEqual(['0.91×']);
  });

  it('gives each Turbine system a ratio over each peer, and a dash where one has no value', () => {
    const systems: SystemName[] = ['turbine', 'turbine-sqlite', 'bullmq', 'bee-queue'];
    const [header, row] = table({ turbine: [300], 'turbine-sqlite': [150], bullmq: [100] }, systems);
    expect(header!.slice(2 + systems.length)).toEqual([
      'turbine/bullmq',
      'turbine/bee-queue',
      'turbine-sqlite/bullmq',
      'turbine-sqlite/bee-queue',
    ]);
    expect(row!.slice(2 + systems.length)).toEqual(['3.00×', '–', '1.50×', '–']);
  });

  it('counts ranges that touch as overlapping', () => {
    const turbine = { median: 2, min: 1, max: 3, count: 3 };
    expect(rangesOverlap(turbine, { median: 4, min: 3, max: 5, count: 3 })).toBe(true);
    expect(rangesOverlap(turbine, { median: 5, min: 3.5, max: 6, count: 3 })).toBe(false);
    expect(rangesOverlap(turbine, undefined)).toBe(false);
  });
});
