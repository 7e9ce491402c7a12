import type { BenchCase } from './types.js';

/**
 * What each task costs Redis: commands (from `INFO commandstats`, which also counts the commands
 * Lua scripts run, so a script is not "one command") and server CPU (`INFO cpu`). Measured in
 * two phases, enqueue (one at a time, 50 in flight) then drain (concurrency 50), so a difference
 * can be traced to the producer or to the worker.
 */
export const redisCostCase: BenchCase = {
  id: 'redis-cost',
  scenario: 'redis-cost',
  title: 'Redis cost per task (enqueue 50 in flight, then drain at concurrency 50)',
  redisOnly: true,
  metrics: [
    { key: 'commandsPerTask', label: 'commands/task', better: 'lower' },
    { key: 'enqueueCommandsPerTask', label: 'commands/task, enqueue', better: 'lower' },
    { key: 'processCommandsPerTask', label: 'commands/task, process', better: 'lower' },
    { key: 'cpuMsPer10k', label: 'Redis CPU ms / 10k tasks', better: 'lower' },
  ],
  async run(ctx) {
    const { tasks, timeoutMs } = ctx.scale;
    await ctx.redis.resetStats();
    const cpuStart = await ctx.redis.cpuSeconds();

    const producer = ctx.spawnProducer({ mode: 'window', count: tasks, window: ctx.scale.producerWindow });
    await producer.next('done', timeoutMs);
    await producer.exit();
    const enqueueCommands = await ctx.redis.commandCalls();

    const worker = ctx.spawnWorker({ concurrency: ctx.scale.workerConcurrency, expect: tasks });
    await worker.next('finished', timeoutMs);
    await worker.exit();
    const totalCommands = await ctx.redis.commandCalls();
    const cpuSeconds = (await ctx.redis.cpuSeconds()) - cpuStart;

    return {
      commandsPerTask: totalCommands / tasks,
      enqueueCommandsPerTask: enqueueCommands / tasks,
      processCommandsPerTask: (totalCommands - enqueueCommands) / tasks,
      cpuMsPer10k: ((cpuSeconds * 1000) / tasks) * 10_000,
    };
  },
};
