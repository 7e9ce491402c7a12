// BEST_PRACTICES § Performance Optimization → Disable Result Storage When Not Needed.
// storeResult: false keeps the task's state (SUCCESS, FAILURE…) but not its value.
import type { Turbine } from '../src/index.js';

export async function fireAndForget(app: Turbine, queue = 'default') {
  const notified: string[] = [];
  let deleted = 0;

  const sendNotification = app.task(
    'send_notification',
    { queue, storeResult: false },
    async (userId: number, message: string) => {
      notified.push(`${userId}: ${message}`);
      return { delivered: true }; // not stored
    },
  );
  const cleanupOldData = app.task('cleanup_old_data', { queue, storeResult: false }, async () => {
    deleted = 120; // background maintenance: nobody reads the result
    return deleted;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const notification = await sendNotification.delay(7, 'Your export is ready');
    const cleanup = await cleanupOldData.delay();
    const values = [await notification.get({ timeout: '10s' }), await cleanup.get({ timeout: '10s' })];
    return { values, infos: [await notification.info(), await cleanup.info()], notified, deleted };
  } finally {
    await worker.stop();
  }
}
