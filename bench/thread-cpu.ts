/** CPU time of this process's threads, main and background apart, read from Linux's /proc. */
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU (user + system) since each thread started. */
export interface ThreadCpu {
  /** The JavaScript thread. */
  mainMs: number;
  /** Every other thread: V8's optimising compiler and GC helpers, libuv's pool. */
  backgroundMs: number;
}

/**
 * Clock ticks per second of /proc's counters (`getconf CLK_TCK`). Node cannot ask sysconf; every
 * Linux build for x86-64 and arm64 uses 100, so readings have a resolution of 10 ms.
 */
const TICKS_PER_SECOND = 100;

/** This process's thread CPU now, or undefined where /proc is missing (macOS, Windows). */
export function readThreadCpu(): ThreadCpu | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const cpu: ThreadCpu = { mainMs: 0, backgroundMs: 0 };
  for (const tid of tids) {
    const ms = threadCpuMs(tid);
    if (Number(tid) === process.pid) cpu.mainMs += ms;
    else cpu.backgroundMs += ms;
  }
  return cpu;
}

/** CPU used between two readings. */
export function cpuBetween(from: ThreadCpu | undefined, to: ThreadCpu | undefined): ThreadCpu | undefined {
  if (!from || !to) return undefined;
  return { mainMs: to.mainMs - from.mainMs, backgroundMs: to.backgroundMs - from.backgroundMs };
}

function threadCpuMs(tid: string): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  } catch {
    return 0; // The thread ended between the listing and the read.
  }
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
  // utime and stime are fields 14 and 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
