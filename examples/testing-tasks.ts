// BEST_PRACTICES § Testing → Test Tasks Independently, and Mock External Dependencies.
// `task.func` is the plain function: call it in a unit test, no broker or worker needed. Instead
// of patching a module with a mock library, pass the dependency in and give the test a fake.
import type { Turbine } from '../src/index.js';

export interface HttpClient {
  getJson(url: string): Promise<unknown>;
}

const realHttp: HttpClient = {
  async getJson(url) {
    return (await fetch(url)).json();
  },
};

/** The app's tasks, with their external dependency injected. */
export function defineTasks(app: Turbine, http: HttpClient = realHttp, queue = 'default') {
  return {
    processData: app.task('process_data', { queue }, async (data: number[]) => data.map((x) => x * 2)),
    callExternalApi: app.task('call_external_api', { queue }, async (url: string) => http.getJson(url)),
  };
}

export async function unitTestTasks(app: Turbine) {
  const calls: string[] = [];
  const fakeHttp: HttpClient = {
    async getJson(url) {
      calls.push(url);
      return { status: 'ok' };
    },
  };
  const { processData, callExternalApi } = defineTasks(app, fakeHttp);

  const processed = await processData.func([1, 2, 3]); // the underlying function, run in-process
  const api = (await callExternalApi.func('http://api.example.com')) as { status: string };
  return { processed, api, calls };
}
