// BEST_PRACTICES § Reliability → Handle Database Connections.
// ❌ one global connection shared by concurrent tasks; ✅ a fresh connection per task, closed by
// `await using` even when the query throws.
import { PermanentError, type Turbine } from '../src/index.js';

/** A stand-in for a database driver whose connections must be closed. */
export class FakeDatabase {
  opened = 0;
  closed = 0;

  async connect() {
    const id = ++this.opened;
    return {
      id,
      query: async (sql: string) => {
        if (sql.includes('bogus')) throw new PermanentError(`syntax error in "${sql}"`);
        return [{ connection: id, sql }];
      },
      [Symbol.asyncDispose]: async () => {
        this.closed++;
      },
    };
  }
}

export async function connectionPerTask(app: Turbine, queue = 'default') {
  const database = new FakeDatabase();
  const queryData = app.task('query_data', { queue }, async (sql: string) => {
    await using conn = await database.connect(); // ✅ fresh connection
    return conn.query(sql);
  });

  const worker = app.worker({ queues: [queue], concurrency: 4 });
  await worker.start();
  try {
    const sqls = ['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4', 'SELECT bogus'];
    const results = await queryData.delayMany(sqls.map((sql): [string] => [sql]));
    const outcomes = await Promise.all(
      results.map((r) =>
        r.get({ timeout: '10s' }).then(
          ([row]) => row,
          (e: Error) => e.message,
        ),
      ),
    );
    return { outcomes, opened: database.opened, closed: database.closed };
  } finally {
    await worker.stop();
  }
}
