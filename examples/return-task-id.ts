// BEST_PRACTICES § Common Anti-Patterns → Don't Use Tasks for Synchronous Operations.
// ❌ the endpoint awaits result.get() and holds the request open.
// ✅ the endpoint answers with the task id at once; the client polls a status endpoint.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskInfo, Turbine } from '../src/index.js';

const isFinished = (status: TaskInfo) => ['SUCCESS', 'FAILURE', 'REVOKED'].includes(status.state);

export async function returnTaskId(app: Turbine, queue = 'default') {
  const heavyTask = app.task('heavy_task', { queue }, async (data: { rows: number }) => ({
    rows: data.rows,
    ok: true,
  }));

  // POST /reports → 202 { taskId }
  const apiEndpoint = async (body: { rows: number }) => {
    const result = await heavyTask.delay(body);
    return { status: 202, body: { taskId: result.id } };
  };
  // GET /reports/:taskId → the task's status
  const checkResult = async (taskId: string) => ({ status: 200, body: await app.getTaskStatus(taskId) });

  const response = await apiEndpoint({ rows: 500 }); // answered before any worker ran the task
  const firstPoll = (await checkResult(response.body.taskId)).body;

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    // The client polls, backing off, until the task is done.
    let status: TaskInfo = firstPoll;
    for (let pause = 5; !isFinished(status); pause = Math.min(pause * 2, 200)) {
      await sleep(pause);
      status = (await checkResult(response.body.taskId)).body;
    }
    return { response, firstPoll, finalPoll: status };
  } finally {
    await worker.stop();
  }
}
