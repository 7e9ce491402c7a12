import { describe, expect, it } from 'vitest';
import { profileGroups, type CpuProfile } from '../../bench/profile-groups.js';

const TURBINE = 'file:///app/node_modules/turbine-queue/dist/chunk-A.js';
const IOREDIS = 'file:///app/node_modules/ioredis/built/Command.js';

/** A profile from `[function, url, caller id]` frames (ids from 2; 1 is the root) and its samples. */
function profileOf(frames: [string, string, number][], samples: [number, number][]): CpuProfile {
  const nodes: CpuProfile['nodes'] = [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] },
  ];
  frames.forEach(([functionName, url], i) =>
    nodes.push({ id: i + 2, callFrame: { functionName, url }, children: [] }),
  );
  frames.forEach(([, , caller], i) => nodes.find((node) => node.id === caller)!.children!.push(i + 2));
  return { nodes, samples: samples.map(([id]) => id), timeDeltas: samples.map(([, us]) => us) };
}

describe("a worker's CPU profile, grouped", () => {
  const profile = profileOf(
    [
      ['decodeEnvelope', TURBINE, 1], // 2
      ['pump', TURBINE, 1], // 3
      ['toWritable', IOREDIS, 3], // 4
      ['byteLength', 'node:buffer', 4], // 5
      ['', '', 5], // 6: native code under byteLength
      ['writeUtf8String', '', 1], // 7
      ['(idle)', '', 1], // 8
      ['(garbage collector)', '', 1], // 9
      ['promiseInitHook', 'node:internal/async_hooks', 3], // 10
      ['runMicrotasks', '', 1], // 11
    ],
    [
      [3, 5_000], // before the window: not counted
      [2, 1_000], // the window opens at this sample; its own time is before it
      [3, 2_000],
      [6, 500],
      [5, 250],
      [7, 3_000],
      [8, 4_000],
      [9, 700],
      [10, 300],
      [11, 100],
      [2, 1_000], // the window closes here
      [3, 9_000], // after it: not counted
    ],
  );

  it("counts the time between the marker's first and last samples, idle apart", () => {
    const { windowMs, idleMs } = profileGroups(profile, 'decodeEnvelope');
    expect(windowMs).toBeCloseTo(11.85);
    expect(idleMs).toBeCloseTo(4);
  });

  it('puts Node code and native code with their caller, but socket writes and hooks apart', () => {
    const groups = Object.fromEntries(
      profileGroups(profile, 'decodeEnvelope').groups.map(({ group, ms }) => [group, ms]),
    );
    expect(groups).toEqual({
      'writing to the socket (Node, kernel)': 3,
      'Turbine: worker loop, executor, verdicts, events': 2,
      'Turbine: decodeEnvelope': 1,
      'ioredis: building and sending commands': 0.75,
      'garbage collection': 0.7,
      'async hooks (AsyncLocalStorage)': 0.3,
      "Node: ticks, microtasks, timers; V8's own": 0.1,
    });
  });

  it('names the marker when the profile never ran it', () => {
    expect(() => profileGroups(profile, 'settle')).toThrow(/no sample of settle/);
  });
});
