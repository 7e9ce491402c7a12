// BEST_PRACTICES § Error Handling → Let Tasks Fail Fast.
// Validate first: bad input fails at once (dontRetryOn); a mail-server hiccup is retried with backoff.
import { TaskFailedError, type Turbine } from '../src/index.js';

export class InvalidEmailError extends Error {
  override name = 'InvalidEmailError';
}
export class SmtpServerError extends Error {
  override name = 'SmtpServerError';
}

export async function sendEmails(app: Turbine, queue = 'default') {
  let smtpCalls = 0;
  const smtp = {
    // A flaky mail server: the first call fails, then it recovers.
    async send(to: string, subject: string) {
      if (++smtpCalls === 1) throw new SmtpServerError('421 service not available');
      return `${subject} → ${to}`;
    },
  };

  const sendEmail = app.task(
    'send_email',
    // production: retryDelay '60s'
    { queue, maxRetries: 3, retryDelay: '10ms', dontRetryOn: [InvalidEmailError] },
    async (to: string, subject: string, _body: string) => {
      if (!/^[^@\s]+@[^@\s]+$/.test(to)) throw new InvalidEmailError(`Invalid email: ${to}`); // don't retry
      return smtp.send(to, subject); // SmtpServerError: retried
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const good = await sendEmail.delay('ada@example.com', 'Hi', '…');
    const bad = await sendEmail.delay('not-an-email', 'Hi', '…');
    const sent = await good.get({ timeout: '10s' });
    const error = await bad.get({ timeout: '10s' }).catch((e: unknown) => e);
    return {
      sent: { value: sent, attempts: (await good.info()).attempts },
      rejected: {
        error: error instanceof TaskFailedError ? error.remote : undefined,
        attempts: (await bad.info()).attempts,
        dlqReason: (await app.dlq.get(bad.id))?.reason,
      },
    };
  } finally {
    await worker.stop();
  }
}
