// BEST_PRACTICES § Multi-Tenancy → Tenant Context Pattern.
// The request handler reads the tenant and submits with applyAsync(args, { tenantId }); the task
// reads it back from currentTask(), and info() reports it. (Quota Enforcement is a later issue.)
import { currentTask, type Turbine } from '../src/index.js';

interface Request {
  headers: Record<string, string>;
  body: { item: string };
}

/** What the seed's TenantMiddleware does: find the tenant of a request. */
const extractTenant = (request: Request) => request.headers['x-tenant-id'];

export async function tenantContext(app: Turbine, queue = 'default') {
  const myTask = app.task('my_task', { queue }, async (data: { item: string }) => ({
    item: data.item,
    tenantId: currentTask().tenantId,
  }));

  // The view: submit with the tenant from the request.
  const apiView = (request: Request) =>
    myTask.applyAsync([request.body], { tenantId: extractTenant(request) });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const results = [
      await apiView({ headers: { 'x-tenant-id': 'acme' }, body: { item: 'invoice-1' } }),
      await apiView({ headers: { 'x-tenant-id': 'globex' }, body: { item: 'invoice-2' } }),
    ];
    return await Promise.all(
      results.map(async (r) => ({
        seenByTask: await r.get({ timeout: '10s' }),
        infoTenantId: (await r.info()).tenantId,
      })),
    );
  } finally {
    await worker.stop();
  }
}
