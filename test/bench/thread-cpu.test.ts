import { describe, expect, it } from 'vitest';
import { cpuBetween, readThreadCpu } from '../../bench/thread-cpu.js';

describe.runIf(process.platform === 'linux')('thread CPU from /proc', () => {
  it("counts the JavaScript thread's own work as main-thread CPU", () => {
    const before = readThreadCpu();
    expect(before).toBeDefined();
    // Spin until the counter moves by two ticks (20 ms), with a deadline for a starved machine.
    const deadline = Date.now() + 10_000;
    let spent = cpuBetween(before, readThreadCpu());
    while ((spent?.mainMs ?? 0) < 20 && Date.now() < deadline) {
      for (let i = 0; i < 1e5; i++) Math.sqrt(i);
      spent = cpuBetween(before, readThreadCpu());
    }
    expect(spent!.mainMs).toBeGreaterThanOrEqual(20);
    expect(spent!.backgroundMs).toBeGreaterThanOrEqual(0);
  });

  it('has nothing to compare without both readings', () => {
    expect(cpuBetween(undefined, readThreadCpu())).toBeUndefined();
  });
});
