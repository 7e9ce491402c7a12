// BEST_PRACTICES § Monitoring and Observability → Health Checks.
// A health_check task on its own `monitoring` queue, so it is never stuck behind business work.
// Scheduling it needs beat (app.schedule, a later issue); until then, submit it from a timer or cron.
import type { Turbine } from '../src/index.js';

export interface HealthProbes {
  database(): Promise<boolean>;
  externalApi(): Promise<boolean>;
}
export type SendAlert = (title: string, checks: Record<string, boolean>) => void;

export async function runHealthCheck(
  app: Turbine,
  probes: HealthProbes,
  sendAlert: SendAlert,
  queue = 'monitoring',
) {
  // A probe that throws counts as failed.
  const probe = (check: () => Promise<boolean>) => check().catch(() => false);

  const healthCheck = app.task('health_check', { queue, timeout: '10s', maxRetries: 0 }, async () => {
    const checks = {
      database: await probe(() => probes.database()),
      broker: app.isHealthy(),
      external_api: await probe(() => probes.externalApi()),
    };
    if (!Object.values(checks).every(Boolean)) sendAlert('Health check failed', checks);
    return checks;
  });

  const worker = app.worker({ queues: [queue], concurrency: 1 });
  await worker.start();
  try {
    const r = await healthCheck.delay();
    return { checks: await r.get({ timeout: '10s' }), queue: (await r.info()).queue };
  } finally {
    await worker.stop();
  }
}
