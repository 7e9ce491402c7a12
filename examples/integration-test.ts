// BEST_PRACTICES § Testing → Integration Tests.
// The same tasks as testing-tasks.ts, this time through the broker and a real worker: delay + get.
import type { Turbine } from '../src/index.js';
import { defineTasks } from './testing-tasks.js';

export async function integrationTest(app: Turbine, queue = 'default') {
  const fakeHttp = { getJson: async (url: string) => ({ status: 'ok', url }) };
  const { processData, callExternalApi } = defineTasks(app, fakeHttp, queue);

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const result = await processData.delay([1, 2, 3]); // submit the task
    const value = await result.get({ timeout: '10s' }); // wait for its result
    const api = await (await callExternalApi.delay('http://api.example.com')).get({ timeout: '10s' });
    return { value, state: await result.state(), api };
  } finally {
    await worker.stop();
  }
}
