// BEST_PRACTICES § Task Design → Explicit is Better Than Implicit.
// A task runs later, in another process: there is no "current user" or "current tenant" there.
// Pass every dependency as an argument, and the task is also trivial to call in a test.
import type { Turbine } from '../src/index.js';

const orders = new Map([['order-1', { items: 3, amount: 42.5 }]]);
const users = new Map([[7, { email: 'ada@example.com' }]]);

export async function processOrderExplicitly(app: Turbine, queue = 'default') {
  const processOrder = app.task(
    'process_order',
    { queue },
    async (orderId: string, userId: number, tenantId: string) => {
      const order = orders.get(orderId)!;
      const user = users.get(userId)!;
      return { orderId, tenantId, notify: user.email, total: order.amount };
    },
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const r = await processOrder.delay('order-1', 7, 'acme');
    const remote = await r.get({ timeout: '10s' });
    const local = await processOrder.func('order-1', 7, 'acme'); // same inputs, same answer
    return { remote, local };
  } finally {
    await worker.stop();
  }
}
