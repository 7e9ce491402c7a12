// BEST_PRACTICES § Performance Optimization → Batch Similar Operations (BatchProcessor).
// 250 emails travel as 3 messages of up to 100 calls; the worker still runs send_email once per
// address, and each call keeps its own result, retries and DLQ entry.
import { BatchProcessor, type Turbine } from '../src/index.js';

export async function sendNewsletter(app: Turbine, users: { email: string }[], queue = 'default') {
  const sent: string[] = [];
  const sendEmail = app.task('send_email', { queue }, async (to: string, subject: string, _body: string) => {
    sent.push(to);
    return `${subject} → ${to}`;
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const body = 'This month at Turbine…';
    const processor = new BatchProcessor(sendEmail, { chunkSize: 100 });
    const results = await processor.map(
      users.map((u): [string, string, string] => [u.email, 'Newsletter', body]),
    );
    return { results, sent };
  } finally {
    await worker.stop();
  }
}
