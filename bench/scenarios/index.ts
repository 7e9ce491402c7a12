import type { Scale } from '../scale.js';
import { delayedCases } from './delayed.js';
import { drainCases } from './drain.js';
import { endToEndCase } from './end-to-end.js';
import { enqueueCases } from './enqueue.js';
import { latencyCase } from './latency.js';
import { memoryCase } from './memory.js';
import { redisCostCase } from './redis-cost.js';
import type { BenchCase } from './types.js';

/** Every case in report order. */
export function allCases(scale: Scale): BenchCase[] {
  return [
    ...enqueueCases,
    ...drainCases(scale),
    endToEndCase,
    latencyCase,
    ...delayedCases,
    redisCostCase,
    memoryCase,
  ];
}

/** Cases whose id or scenario name is in `only` (all when `only` is empty). */
export function selectCases(cases: BenchCase[], only: string[]): BenchCase[] {
  if (only.length === 0) return cases;
  const unknown = only.filter((name) => !cases.some((c) => c.id === name || c.scenario === name));
  if (unknown.length > 0) {
    const known = [...new Set(cases.flatMap((c) => [c.scenario, c.id]))].join(', ');
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${known}`);
  }
  return cases.filter((c) => only.includes(c.id) || only.includes(c.scenario));
}
