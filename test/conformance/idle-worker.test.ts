import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { waitFor } from '../helpers/wait-for.js';
import { brokerTargets } from './broker-targets.js';
import { uniqueQueue, useBroker } from './use-broker.js';

describe.each(brokerTargets)('an idle worker on $name', (target) => {
  const { makeApp } = useBroker(target);

  it('stores an outcome before it blocks for more work', async () => {
    const app = makeApp();
    // The app's own broker, its calls noted as they go out and as they come back.
    const broker = (app as unknown as { broker: Broker }).broker;
    const calls: string[] = [];
    const settle = broker.settle.bind(broker);
    broker.settle = async (settlements) => {
      calls.push('settle sent');
      await settle(settlements);
      calls.push('settle stored');
    };
    const waitForWork = broker.waitForWork.bind(broker);
    broker.waitForWork = (...args) => {
      calls.push('wait');
      return waitForWork(...args);
    };
    const queue = uniqueQueue();
    const task = app.task('one', { queue }, async () => 1);
    const worker = app.worker({ queues: [queue], concurrency: 1 });
    await worker.start();
    await waitFor(() => calls.includes('wait'), 'the first wait');

    const result = await task.delay();
    expect(await result.get({ timeout: '10s' })).toBe(1);
    await waitFor(() => calls.filter((call) => call === 'wait').length >= 2, 'the wait after the task');
    // Sent beside the wait, an outcome's answer would wait behind the wait's commands.
    expect(calls.slice(calls.indexOf('settle sent'))).toEqual(['settle sent', 'settle stored', 'wait']);
  });
});
