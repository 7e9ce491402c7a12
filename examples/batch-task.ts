// BEST_PRACTICES § Performance Optimization → Batch Similar Operations ("Or use batch task").
// One task call handles a whole chunk of addresses: fewer, larger tasks.
import type { Turbine } from '../src/index.js';

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function sendBatchedNewsletter(app: Turbine, users: { email: string }[], queue = 'default') {
  const sent: string[] = [];
  const sendSingleEmail = (email: string, _subject: string, _body: string) => sent.push(email);

  const sendBatchEmails = app.task(
    'send_batch_emails',
    { queue },
    async (emailList: string[], subject: string, body: string) => {
      for (const email of emailList) sendSingleEmail(email, subject, body);
      return emailList.length;
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    // Submit fewer, larger tasks: one per 100 users, all in one broker round trip.
    const calls = chunks(users, 100).map((chunk): [string[], string, string] => [
      chunk.map((u) => u.email),
      'Newsletter',
      'This month at Turbine…',
    ]);
    const results = await sendBatchEmails.delayMany(calls);
    const perTask = await Promise.all(results.map((r) => r.get({ timeout: '10s' })));
    return { tasks: results.length, perTask, sent };
  } finally {
    await worker.stop();
  }
}
