import type { Broker, Delivery } from '../brokers/broker.js';

/**
 * One heartbeat per worker: every third of the visibility timeout it extends the leases of all
 * messages the worker holds (prefetched, running, waiting to be settled) in one call per queue,
 * so a long task is never handed to a second worker while its first is alive.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly leaseMs: number,
    private readonly held: () => Delivery[],
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    const everyMs = Math.max(50, Math.floor(this.leaseMs / 3));
    this.timer = setInterval(() => void this.beat(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    const deliveries = this.held();
    if (deliveries.length === 0) return;
    try {
      await this.broker.extendLeases(deliveries, this.leaseMs);
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
