import type { Redis } from 'ioredis';
import { QUEUES_KEY } from './keys.js';

/** Finds which queue holds a task, for admin reads that only know the id. */
export async function queuesToSearch(redis: Redis, hint?: string): Promise<string[]> {
  const all = await redis.smembers(QUEUES_KEY);
  if (!hint) return all.sort();
  return [hint, ...all.filter((queue) => queue !== hint).sort()];
}
