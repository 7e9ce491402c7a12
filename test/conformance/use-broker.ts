import { afterAll, afterEach, beforeAll } from 'vitest';
import { Turbine, type TurbineOptions } from '../../src/index.js';
import type { BrokerHandle, BrokerTarget } from './broker-targets.js';

let counter = 0;

/** A unique queue name per test, so tests never see each other's messages. */
export function uniqueQueue(prefix = 'q'): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/**
 * Starts the target's broker for the file and returns a factory of apps bound to it. Apps made in
 * a test are closed after it (the leak guard: no worker or connection outlives its test).
 */
export function useBroker(target: BrokerTarget): {
  handle: () => BrokerHandle;
  makeApp: (options?: TurbineOptions) => Turbine;
} {
  let handle: BrokerHandle | undefined;
  const apps: Turbine[] = [];
  beforeAll(async () => {
    handle = await target.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await handle?.stop();
  });
  return {
    handle: () => handle!,
    makeApp: (options = {}) => {
      const app = new Turbine({ broker: handle!.url, ...options });
      apps.push(app);
      return app;
    },
  };
}
