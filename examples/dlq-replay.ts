// BEST_PRACTICES § Error Handling → Use DLQ for Failed Tasks.
// Tasks that fail for good land in app.dlq; inspect them, fix the cause, replay them (same id).
import type { Turbine } from '../src/index.js';

export async function inspectAndReplay(app: Turbine, queue = 'default') {
  let ratesServiceUp = false;
  const syncInvoice = app.task(
    'sync_invoice',
    { queue, maxRetries: 1, retryDelay: '10ms' },
    async (invoiceId: number) => {
      if (!ratesServiceUp) throw new Error('exchange-rate service unavailable');
      return `invoice ${invoiceId} synced`;
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const failed = await Promise.all([syncInvoice.delay(41), syncInvoice.delay(42)]);
    await Promise.all(failed.map((r) => r.get({ timeout: '10s' }).catch(() => undefined)));

    // List failed tasks
    const report: string[] = [];
    const entries = await app.dlq.list({ queue });
    for (const entry of entries) {
      report.push(
        `Failed: ${entry.name} - ${entry.error.message} (${entry.reason}, ${entry.attempts} attempts)`,
      );
    }

    // Analyze and fix the root cause, then replay
    ratesServiceUp = true;
    const replayed = await Promise.all(entries.map((entry) => app.dlq.replay(entry.id)));
    const values = await Promise.all(replayed.map((r) => r.get({ timeout: '10s' })));
    return {
      report,
      failedIds: failed.map((r) => r.id),
      replayedIds: replayed.map((r) => r.id),
      values,
      left: await app.dlq.list({ queue }),
    };
  } finally {
    await worker.stop();
  }
}
