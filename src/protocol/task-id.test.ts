import { describe, expect, it } from 'vitest';
import { newTaskId, taskIdSource } from './task-id.js';

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = 1_764_590_400_000;

/** The epoch milliseconds in an id's first 48 bits. */
function timeOf(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

function isSorted(ids: string[]): boolean {
  return ids.every((id, i) => i === 0 || ids[i - 1]! < id);
}

describe('taskIdSource', () => {
  it('makes version 7 UUIDs that carry their time', () => {
    for (const now of [0, 1, T, 2 ** 48 - 1]) {
      const id = taskIdSource()(now);
      expect(id).toMatch(VERSION_7);
      expect(timeOf(id)).toBe(now);
    }
    const before = Date.now();
    const id = taskIdSource()();
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('makes ids that sort as they were made, within a millisecond and across', () => {
    const next = taskIdSource();
    const ids = [T, T, T, T + 1, T + 1, T + 255, T + 256, T + 10_000_000].map((now) => next(now));
    expect(isSorted(ids)).toBe(true);
    expect(ids.map(timeOf)).toEqual([T, T, T, T + 1, T + 1, T + 255, T + 256, T + 10_000_000]);
  });

  it('moves on to the next millisecond when one has more than 4,096 ids', () => {
    const next = taskIdSource();
    const ids = Array.from({ length: 10_000 }, () => next(T));
    expect(isSorted(ids)).toBe(true);
    expect(ids.every((id) => VERSION_7.test(id))).toBe(true);
    expect(timeOf(ids[4095]!)).toBe(T);
    expect(timeOf(ids[4096]!)).toBe(T + 1);
    expect(timeOf(ids[9999]!)).toBe(T + 2);
  });

  it('keeps growing when the clock goes back', () => {
    const next = taskIdSource();
    const ids = [next(T + 5), next(T), next(T + 3), next(T + 6)];
    expect(isSorted(ids)).toBe(true);
    expect(ids.map(timeOf)).toEqual([T + 5, T + 5, T + 5, T + 6]);
  });

  it('is random in its last 62 bits', () => {
    const ids = Array.from({ length: 1_000 }, () => taskIdSource()(T));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('newTaskId', () => {
  it('is one source for the process: later calls sort after earlier ones', () => {
    const ids = Array.from({ length: 100 }, () => newTaskId());
    expect(isSorted(ids)).toBe(true);
  });
});
