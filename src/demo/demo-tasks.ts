// The tasks `turbine demo` runs, one per pattern of the best-practices guide. Sleeps stand in for
// I/O; they are short so the whole demo ends in a few seconds.
import { currentTask } from '../app/current-task.js';
import type { Turbine } from '../app/turbine.js';
import { PermanentError } from '../errors/permanent-error.js';
import { SoftTimeLimitExceeded } from '../errors/soft-time-limit-exceeded.js';
import { TransientError } from '../errors/transient-error.js';
import { abortableSleep } from '../util/abortable-sleep.js';

/**
 * The demo's queues, split by the kind of work as the guide recommends. All start with `demo.` so
 * they never mix with the user's own queues.
 */
export const DEMO_QUEUES = {
  fast: 'demo.fast',
  io: 'demo.io',
  slow: 'demo.slow',
  orders: 'demo.orders',
} as const;

/** Every demo queue, in the order workers claim from them (the priority backlog first). */
export const DEMO_QUEUE_LIST: string[] = [
  DEMO_QUEUES.orders,
  DEMO_QUEUES.fast,
  DEMO_QUEUES.io,
  DEMO_QUEUES.slow,
];

/** Failed attempts of `demo.flaky_api_call` before it succeeds. */
export const FLAKY_FAILURES = 2;

/** A row of the demo's CSV source, as read. */
export type RawRow = Record<string, string>;

/** A cleaned customer row, as loaded. */
export interface Customer {
  id: number;
  name: string;
  email: string;
  amount: number;
}

/** What `demo.transform` hands to `demo.load`. */
export interface CleanBatch {
  rows: Customer[];
  skipped: number;
}

/** The result of the ETL chain. */
export interface LoadResult {
  table: string;
  loaded: number;
  skipped: number;
}

/** The result of `demo.process_batch`: partial when the soft time limit stopped it. */
export interface BatchResult {
  batchId: string;
  processed: number;
  total: number;
  partial: boolean;
}

/** The result of the chord body. */
export interface AggregateResult {
  chunks: number;
  total: number;
}

/**
 * In-memory stand-ins for the databases the tasks write to. The demo's workers run in the same
 * process, so the summary can read what the tasks did.
 */
export class DemoStore {
  /** One entry per distinct (user, timestamp): the upsert that makes `record_login` idempotent. */
  readonly logins = new Map<string, number>();
  /** Items done per batch, saved as they complete so a stopped batch can resume. */
  readonly checkpoints = new Map<string, number>();
  /** The ETL target table, keyed by customer id. */
  readonly customers = new Map<number, Customer>();
  /** Notifications delivered (their results are not stored in the backend). */
  notifications = 0;
}

/** Canned answers of the fake HTTP API called by `demo.api_call`. */
const FAKE_API: Record<string, unknown> = {
  '/users/1': { id: 1, name: 'Ada' },
  '/users/2': { id: 2, name: 'Grace' },
  '/orders/7': { id: 7, total: 42 },
  '/health': { ok: true },
};

/** The one file `demo.extract` can read. */
const SOURCES: Record<string, string> = {
  'source.csv': [
    'id,name,email,amount',
    '1, Ada Lovelace ,ADA@example.com,120.50',
    '2,Grace Hopper,grace@example.com,80',
    '3,Alan Turing,,15',
    '4,Edsger Dijkstra,EWD@Example.com , 42.25',
    '5,Barbara Liskov,barbara@example.com,99.99',
    '6,Ken Thompson,ken@example.com,7',
  ].join('\n'),
};

/** Time `demo.process_batch` spends on one item. */
export const BATCH_ITEM_MS = 12;
/** Soft time limit of `demo.process_batch`: a batch needing longer returns a partial result. */
export const BATCH_SOFT_TIMEOUT_MS = 500;

/** Waits `ms` like a call to another service; cut short if the task is revoked or timed out. */
function work(ms: number): Promise<void> {
  return abortableSleep(ms, currentTask().signal);
}

/** Defines the demo's tasks on `app`; they record what they do in `store`. */
export function defineDemoTasks(app: Turbine, store: DemoStore) {
  const fast = { queue: DEMO_QUEUES.fast };
  const io = { queue: DEMO_QUEUES.io, retryDelay: '100ms' };
  const slow = { queue: DEMO_QUEUES.slow };

  // Idempotent: keyed by (user, timestamp), so a duplicate delivery changes nothing.
  const recordLogin = app.task('demo.record_login', fast, async (userId: string, timestamp: number) => {
    await work(4 + (timestamp % 7));
    const key = `${userId}@${timestamp}`;
    const created = !store.logins.has(key);
    store.logins.set(key, timestamp);
    return { userId, created };
  });

  // Fire and forget: the state is kept, the value is not.
  const sendNotification = app.task(
    'demo.send_notification',
    { ...fast, storeResult: false },
    async (userId: string, message: string) => {
      await work(3);
      store.notifications += 1;
      return { userId, delivered: message.length > 0 };
    },
  );

  const sendReminder = app.task('demo.send_reminder', fast, async (userId: string, text: string) => {
    await work(3);
    return { userId, text, sentAt: Date.now() };
  });

  // Fails twice with a retriable error, as a service that is briefly unavailable would.
  const flakyApiCall = app.task('demo.flaky_api_call', { ...io, maxRetries: 5 }, async (url: string) => {
    await work(8);
    const { attempt } = currentTask();
    if (attempt <= FLAKY_FAILURES) {
      throw new TransientError(`Server error: 503 Service Unavailable from ${url} (attempt ${attempt})`);
    }
    return { url, status: 200, attempts: attempt };
  });

  // A 4xx can never succeed on retry: fail at once, straight to the DLQ.
  const apiCall = app.task('demo.api_call', { ...io, maxRetries: 3 }, async (endpoint: string) => {
    await work(10);
    if (!(endpoint in FAKE_API)) throw new PermanentError(`Client error: 404 Not Found for GET ${endpoint}`);
    return FAKE_API[endpoint];
  });

  // At the soft limit: save progress and return what was done instead of being killed at the hard one.
  const processBatch = app.task(
    'demo.process_batch',
    { ...slow, softTimeout: BATCH_SOFT_TIMEOUT_MS, timeout: '3s' },
    async (batchId: string, items: number): Promise<BatchResult> => {
      const { signal } = currentTask();
      let done = store.checkpoints.get(batchId) ?? 0;
      while (done < items) {
        await abortableSleep(BATCH_ITEM_MS, signal);
        if (signal.aborted) break;
        done += 1;
        store.checkpoints.set(batchId, done);
      }
      if (signal.aborted && !(signal.reason instanceof SoftTimeLimitExceeded)) throw signal.reason;
      return { batchId, processed: done, total: items, partial: done < items };
    },
  );

  const fulfilOrder = app.task(
    'demo.fulfil_order',
    { queue: DEMO_QUEUES.orders },
    async (orderId: string, express: boolean) => {
      await work(20);
      return { orderId, express };
    },
  );

  const extract = app.task('demo.extract', slow, async (source: string): Promise<RawRow[]> => {
    await work(20);
    const text = SOURCES[source];
    if (text === undefined) throw new PermanentError(`no such source: ${source}`);
    const [header, ...lines] = text.split('\n');
    const columns = header!.split(',');
    return lines.map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
    });
  });

  const transform = app.task('demo.transform', slow, async (rows: RawRow[]): Promise<CleanBatch> => {
    await work(15);
    const clean: Customer[] = [];
    for (const row of rows) {
      const email = (row.email ?? '').trim().toLowerCase();
      if (!email.includes('@')) continue;
      clean.push({
        id: Number(row.id),
        name: (row.name ?? '').trim(),
        email,
        amount: Number((row.amount ?? '0').trim()),
      });
    }
    return { rows: clean, skipped: rows.length - clean.length };
  });

  // Upsert by id: loading the same batch twice leaves the same table.
  const load = app.task('demo.load', slow, async (batch: CleanBatch): Promise<LoadResult> => {
    await work(15);
    for (const row of batch.rows) store.customers.set(row.id, row);
    return { table: 'customers', loaded: batch.rows.length, skipped: batch.skipped };
  });

  const processChunk = app.task('demo.process_chunk', slow, async (chunk: number[]) => {
    await work(10 + chunk.length);
    return chunk.reduce((sum, n) => sum + n * n, 0);
  });

  const aggregate = app.task('demo.aggregate', slow, async (partials: number[]): Promise<AggregateResult> => {
    await work(5);
    return { chunks: partials.length, total: partials.reduce((sum, n) => sum + n, 0) };
  });

  return {
    recordLogin,
    sendNotification,
    sendReminder,
    flakyApiCall,
    apiCall,
    processBatch,
    fulfilOrder,
    extract,
    transform,
    load,
    processChunk,
    aggregate,
  };
}

/** The tasks of the demo, by role. */
export type DemoTasks = ReturnType<typeof defineDemoTasks>;
