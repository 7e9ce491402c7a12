import { describe, expect, it } from 'vitest';
import { aggregate } from '../../bench/aggregate.js';
import type { BenchCase } from '../../bench/scenarios/types.js';
import { standings } from '../../bench/standings.js';
import type { SystemName } from '../../bench/systems/types.js';
import { runRecords } from './run-records.js';

const probe: BenchCase = {
  id: 'probe',
  scenario: 'probe',
  title: 'one metric of each kind',
  metrics: [
    { key: 'tasksPerSec', label: 'tasks/s', better: 'higher' },
    { key: 'p99Ms', label: 'p99 ms', better: 'lower' },
    { key: 'harnessMb', label: 'harness MB', better: 'lower', control: true },
  ],
  run: () => Promise.reject(new Error('not run here')),
};

type Reps = { tasksPerSec: number; p99Ms: number; harnessMb: number }[];

function standingsOf(bySystem: Partial<Record<SystemName, Reps>>) {
  const systems = Object.keys(bySystem) as SystemName[];
  return standings(aggregate(runRecords(probe, bySystem), [probe], systems), 'turbine', 'bee-queue');
}

describe('standings', () => {
  it('reads each metric the way it is better: more tasks/s ahead, a larger p99 behind', () => {
    const found = standingsOf({
      turbine: [
        { tasksPerSec: 200, p99Ms: 3, harnessMb: 40 },
        { tasksPerSec: 210, p99Ms: 4, harnessMb: 41 },
      ],
      'bee-queue': [
        { tasksPerSec: 100, p99Ms: 1, harnessMb: 40 },
        { tasksPerSec: 110, p99Ms: 2, harnessMb: 42 },
      ],
    });
    expect(found).toEqual([
      { metric: 'probe.tasksPerSec', ratio: 205 / 105, ahead: true, decided: true },
      { metric: 'probe.p99Ms', ratio: 3.5 / 1.5, ahead: false, decided: true },
    ]);
  });

  it('calls a difference decided only when the min–max ranges are apart', () => {
    const found = standingsOf({
      turbine: [
        { tasksPerSec: 95, p99Ms: 1.5, harnessMb: 40 },
        { tasksPerSec: 135, p99Ms: 2.5, harnessMb: 40 },
      ],
      'bee-queue': [
        { tasksPerSec: 100, p99Ms: 1, harnessMb: 40 },
        { tasksPerSec: 110, p99Ms: 2, harnessMb: 40 },
      ],
    });
    expect(found).toEqual([
      { metric: 'probe.tasksPerSec', ratio: 115 / 105, ahead: true, decided: false },
      { metric: 'probe.p99Ms', ratio: 2 / 1.5, ahead: false, decided: false },
    ]);
  });

  it('leaves out level medians and the harness controls, and decides nothing on one repetition', () => {
    const found = standingsOf({
      turbine: [{ tasksPerSec: 90, p99Ms: 1, harnessMb: 50 }],
      'bee-queue': [{ tasksPerSec: 100, p99Ms: 1, harnessMb: 40 }],
    });
    expect(found).toEqual([{ metric: 'probe.tasksPerSec', ratio: 0.9, ahead: false, decided: false }]);
  });
});
