import { describe, expect, it } from 'vitest';
import { Later } from './later.js';

describe('Later', () => {
  it('runs uses made before the value arrives once it does', async () => {
    let deliver!: (value: { n: number }) => void;
    const later = new Later(new Promise<{ n: number }>((resolve) => (deliver = resolve)));
    const used = later.use(async ({ n }) => n + 1);
    expect(later.current).toBeUndefined();
    deliver({ n: 1 });
    expect(await used).toBe(2);
    expect(later.current).toEqual({ n: 1 });
  });

  it('runs a use at once, in the same turn, after the value arrived', async () => {
    const later = new Later(Promise.resolve({ n: 1 }));
    await later.arrival;
    let ran = false;
    void later.use(async () => (ran = true));
    expect(ran).toBe(true);
  });

  it('answers every use with the error that building the value failed with', async () => {
    const later = new Later<{ n: number }>(Promise.reject(new Error('cannot open')));
    await expect(later.use(async ({ n }) => n)).rejects.toThrow('cannot open');
    expect(later.failed).toBe(true);
    await expect(later.map(({ n }) => n).use(async (n) => n)).rejects.toThrow('cannot open');
    let closed = false;
    await later.ifArrived(async () => {
      closed = true;
    });
    expect(closed).toBe(false);
  });

  it('maps a part of the value', async () => {
    const later = new Later(Promise.resolve({ store: 'dlq' }));
    expect(await later.map(({ store }) => store).use(async (store) => store.toUpperCase())).toBe('DLQ');
  });
});
