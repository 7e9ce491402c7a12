import type { ResultRecord } from '../protocol/result-record.js';
import { Later } from '../util/later.js';
import type { ResultBackend } from './result-backend.js';

/**
 * A result backend whose code is still loading (as a `DeferredBroker`): each call goes to it
 * once it is there, and straight to it after.
 */
export class DeferredResultBackend implements ResultBackend {
  private readonly backend: Later<ResultBackend>;

  constructor(
    readonly kind: string,
    backend: Promise<ResultBackend>,
  ) {
    this.backend = new Later(backend);
  }

  get(id: string): Promise<ResultRecord | undefined> {
    return this.backend.use((backend) => backend.get(id));
  }

  getMany(ids: readonly string[]): Promise<(ResultRecord | undefined)[]> {
    return this.backend.use((backend) => backend.getMany(ids));
  }

  put(records: readonly ResultRecord[]): Promise<void> {
    return this.backend.use((backend) => backend.put(records));
  }

  /** Closes the backend once it is there; one that failed to open has nothing to close. */
  close(): Promise<void> {
    return this.backend.ifArrived((backend) => backend.close());
  }
}
