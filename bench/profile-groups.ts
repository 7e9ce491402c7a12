/**
 * Where a worker's CPU goes in a V8 CPU profile (`--cpu-prof`): the self time of every function
 * between the first and the last sample of a marker function (the drain), grouped by what the
 * code does. docs/performance.md ("What a task costs") shows these groups for Turbine's worker.
 */

/** The parts of a `.cpuprofile` file that are read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  /** Microseconds before each sample, the first one's counted from the profile's start. */
  timeDeltas: number[];
}

export interface ProfileGroups {
  /** From the marker's first sample to its last. */
  windowMs: number;
  /** The main thread waiting (for Redis, in a worker) within the window. */
  idleMs: number;
  /** The rest of the window, by group, largest first. */
  groups: { group: string; ms: number }[];
}

/** Turbine's functions that build the settle-and-claim and read the claim's reply. */
const SETTLE_AND_CLAIM = new Set([
  'scripted.<computed>',
  'settleArgs',
  'settleArgsByQueue',
  'pushSettlementArgs',
  'sharedQueue',
  'settle',
  'settleOn',
  'settleAndClaim',
  'claimInto',
  'claimResult',
  'toDelivery',
  'readClaimReply',
]);

/** Node's code that writes to a socket, down to the kernel's send. */
const SOCKET_WRITES =
  /^(writeUtf8String|writeLatin1String|writeBuffer|writev|handleWriteReq|createWriteWrap|writeGeneric|writevGeneric|afterWriteDispatched)$/;

/** ioredis's code on the way back: reading replies and turning them into values. */
const IOREDIS_REPLIES = /DataHandler|returnReply|transformReply|convertBufferToString|resolve|parse/i;

type Frame = CpuProfile['nodes'][number];

const isNodeCode = (frame: Frame): boolean =>
  frame.callFrame.url === '' || frame.callFrame.url.startsWith('node:');

/** The group of code outside Node: Turbine's, ioredis's, or another package's. */
function groupOfOwnCode(frame: Frame): string {
  const { functionName: name, url } = frame.callFrame;
  if (url.includes('/dist/')) {
    if (name === 'decodeEnvelope') return 'Turbine: decodeEnvelope';
    if (name === 'encodeRecord' || name === 'packJson') return 'Turbine: encodeRecord';
    if (SETTLE_AND_CLAIM.has(name)) return 'Turbine: settle-and-claim arguments and reply';
    return 'Turbine: worker loop, executor, verdicts, events';
  }
  if (url.includes('redis-parser') || (url.includes('/ioredis/') && IOREDIS_REPLIES.test(name))) {
    return 'ioredis: reading replies';
  }
  if (url.includes('/ioredis/')) return 'ioredis: building and sending commands';
  if (url.includes('/bench/')) return "the bench's own hooks";
  return 'other';
}

/**
 * The group of a sampled frame. Node's own code (and native code) counts as what called it, where
 * that is Turbine or ioredis (a `Buffer` decoding a reply, a `byteLength` of an argument), except
 * for the socket's writes, its reads, and the async hooks, which are groups of their own.
 */
function groupOf(frame: Frame, callers: ReadonlyMap<number, Frame>): string {
  const { functionName: name, url } = frame.callFrame;
  if (name === '(garbage collector)') return 'garbage collection';
  if (!isNodeCode(frame)) return groupOfOwnCode(frame);
  if (SOCKET_WRITES.test(name) || url.includes('streams/writable'))
    return 'writing to the socket (Node, kernel)';
  if (url.includes('async_hooks') || url.includes('async_local_storage'))
    return 'async hooks (AsyncLocalStorage)';
  if (url.includes('streams/readable') || name === 'onStreamRead' || name === 'Socket.read') {
    return 'reading from the socket (Node)';
  }
  let owner = callers.get(frame.id);
  while (owner && isNodeCode(owner)) owner = callers.get(owner.id);
  const ownerGroup = owner ? groupOfOwnCode(owner) : 'other';
  return ownerGroup === 'other' ? "Node: ticks, microtasks, timers; V8's own" : ownerGroup;
}

/**
 * Groups the self time of a profile's samples from the first sample of `marker` to its last.
 * @throws Error when no sample is in `marker`.
 */
export function profileGroups(profile: CpuProfile, marker: string): ProfileGroups {
  const frames = new Map(profile.nodes.map((node) => [node.id, node]));
  const callers = new Map<number, Frame>();
  for (const node of profile.nodes) for (const child of node.children ?? []) callers.set(child, node);
  // Once per frame of the call tree, not once per sample: a drain has tens of thousands of samples.
  const groupOfFrame = new Map(profile.nodes.map((node) => [node.id, groupOf(node, callers)]));
  const inMarker = profile.samples.map((id) => frames.get(id)?.callFrame.functionName === marker);
  const first = inMarker.indexOf(true);
  const last = inMarker.lastIndexOf(true);
  if (first < 0) throw new Error(`no sample of ${marker} in the profile`);

  let windowUs = 0;
  let idleUs = 0;
  const byGroup = new Map<string, number>();
  // A sample's delta is the time since the sample before: the first one's is outside the window.
  for (let i = first + 1; i <= last; i++) {
    const frame = frames.get(profile.samples[i]!)!;
    const us = profile.timeDeltas[i]!;
    windowUs += us;
    if (frame.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const group = groupOfFrame.get(frame.id)!;
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  }
  const groups = [...byGroup].map(([group, us]) => ({ group, ms: us / 1000 }));
  groups.sort((a, b) => b.ms - a.ms);
  return { windowMs: windowUs / 1000, idleMs: idleUs / 1000, groups };
}
