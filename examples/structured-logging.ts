// BEST_PRACTICES § Monitoring and Observability → Structured Logging.
// One JSON object per line, with the task id, so logs can be searched and joined across services.
// Pass the logger in (console.log, pino's logger.info, a test's array.push).
import { currentTask, type Turbine } from '../src/index.js';

export type LogLine = (line: string) => void;

export async function structuredLogging(app: Turbine, log: LogLine = console.log, queue = 'default') {
  const logJson = (fields: Record<string, unknown>) => log(JSON.stringify(fields));

  const importantTask = app.task('important_task', { queue }, async (userId: number, data: number[]) => {
    const { id } = currentTask();
    logJson({ event: 'task_started', task_id: id, user_id: userId, data_size: JSON.stringify(data).length });

    const result = { sum: data.reduce((a, b) => a + b, 0), count: data.length };

    logJson({
      event: 'task_completed',
      task_id: id,
      user_id: userId,
      result_size: JSON.stringify(result).length,
    });
    return result;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const r = await importantTask.delay(7, [1, 2, 3]);
    return { taskId: r.id, result: await r.get({ timeout: '10s' }) };
  } finally {
    await worker.stop();
  }
}
