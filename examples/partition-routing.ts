// BEST_PRACTICES § Scaling → Queue Partitioning.
// consistentHashRouter maps a partition key (here the user) to one of N queues, always the same one,
// so all of one user's tasks land on the same queue, served by the workers that own it.
import { consistentHashRouter, currentTask, type Turbine } from '../src/index.js';

export async function partitionByUser(app: Turbine, userIds: number[], prefix = 'partition') {
  const numQueues = 4;
  const myTask = app.task('my_task', async (userId: number, data: string) => ({
    userId,
    data,
    queue: currentTask().queue,
  }));

  // Dedicated workers per partition, as `turbine worker --queues partition-0,partition-1` would run.
  const slices = [
    [`${prefix}-0`, `${prefix}-1`],
    [`${prefix}-2`, `${prefix}-3`],
  ];
  const owners = slices.map((queues) => app.worker({ queues }));
  await Promise.all(owners.map((worker) => worker.start()));
  try {
    const results = [];
    for (const userId of userIds) {
      for (const data of ['login', 'purchase']) {
        const queue = consistentHashRouter(myTask, { partitionKey: `user:${userId}`, numQueues, prefix });
        results.push(await myTask.applyAsync([userId, data], { queue }));
      }
    }
    const runs = await Promise.all(
      results.map(async (r) => ({
        ...(await r.get({ timeout: '10s' })),
        workerId: (await r.info()).workerId,
      })),
    );
    const ownerOf = Object.fromEntries(slices.flatMap((queues, i) => queues.map((q) => [q, owners[i]!.id])));
    return { runs, ownerOf };
  } finally {
    await Promise.all(owners.map((worker) => worker.stop()));
  }
}
