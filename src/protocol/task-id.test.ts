import { describe, expect, it } from 'vitest';
import { newTaskId } from './task-id.js';

const VERSION_7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The epoch milliseconds in an id's first 48 bits. */
function timeOf(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

describe('newTaskId', () => {
  it('is a version 7 UUID that carries its time', () => {
    for (const now of [0, 1, 1_764_590_400_000, 2 ** 48 - 1]) {
      const id = newTaskId(now);
      expect(id).toMatch(VERSION_7);
      expect(timeOf(id)).toBe(now);
    }
    const before = Date.now();
    const id = newTaskId();
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('sorts ids of later milliseconds after earlier ones, as text', () => {
    const times = [
      1_764_590_400_000, 1_764_590_400_001, 1_764_590_400_255, 1_764_590_400_256, 1_764_600_000_000,
    ];
    const ids = times.map((now) => newTaskId(now));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique among ids of the same millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newTaskId(1_764_590_400_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(ids.length);
  });
});
