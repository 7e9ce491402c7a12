import { SYSTEM_NAMES, type CreateSystem, type SystemName } from './types.js';

/**
 * Loads one adapter lazily, so a system whose code or dependency does not load (Turbine while
 * `src/` is being written) can be skipped instead of taking the whole harness down.
 */
export async function loadSystem(name: SystemName): Promise<CreateSystem> {
  switch (name) {
    case 'turbine':
      return (await import('./turbine.js')).createSystem;
    case 'turbine-sqlite':
      return (await import('./turbine-sqlite.js')).createSystem;
    case 'bullmq':
      return (await import('./bullmq.js')).createSystem;
    case 'bee-queue':
      return (await import('./bee-queue.js')).createSystem;
  }
}

export function isSystemName(value: string): value is SystemName {
  return (SYSTEM_NAMES as readonly string[]).includes(value);
}
