// Type tests: checked by `npm run typecheck` (tsc), never run. Each @ts-expect-error must be needed,
// so a loosened type makes the check fail.
import type { Turbine } from '../../src/index.js';
import { type AsyncResult, type TaskInfo } from '../../src/index.js';

declare const app: Turbine;

const add = app.task('add', async (x: number, y: number) => x + y);
const greet = app.task(
  'greet',
  { queue: 'emails', maxRetries: 3, retryDelay: '60s' },
  (name: string) => `hi ${name}`,
);

export async function inference(): Promise<void> {
  const sum: AsyncResult<number> = await add.delay(1, 2);
  const value: number = await sum.get({ timeout: '10s' });
  const greeting: string = await (await greet.delay('ada')).get();
  const many: AsyncResult<number>[] = await add.delayMany([
    [1, 2],
    [3, 4],
  ]);
  await add.applyAsync([1, 2], { priority: 9, countdown: '5s', headers: { trace: 'x' } });
  const direct: number | Promise<number> = add.func(1, 2);
  const info: TaskInfo = await app.getTaskStatus(sum.id);
  void [value, greeting, many, direct, info];

  // @ts-expect-error add takes numbers
  await add.delay('x', 2);
  // @ts-expect-error add takes two arguments
  await add.delay(1);
  // @ts-expect-error applyAsync takes the argument tuple
  await add.applyAsync(['1', 2]);
  // @ts-expect-error the result is a number, not a string
  const wrong: string = await sum.get();
  // @ts-expect-error priority is a number
  await add.applyAsync([1, 2], { priority: 'high' });
  // @ts-expect-error unknown per-call option
  await add.applyAsync([1, 2], { retries: 3 });
  // @ts-expect-error unknown task option
  app.task('bad', { retries: 3 }, async () => null);
  void wrong;
}
