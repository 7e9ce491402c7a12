/** What the numbers were measured on, recorded in every report. */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { redisCeiling, type BenchRedis, type CeilingResult } from './redis.js';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  /** 1, 5 and 15-minute load averages at the start of the run. */
  loadAverage: number[];
  os: string;
  node: string;
  redis: string;
  /** Versions of the compared packages as installed. */
  packages: Record<string, string>;
  /** `redis-benchmark` results, when the binary exists. */
  ceiling?: CeilingResult[];
}

function installedVersion(name: string): string {
  const root = name === 'turbine-queue' ? '../' : `../node_modules/${name}/`;
  try {
    const json = readFileSync(new URL(`${root}package.json`, import.meta.url), 'utf8');
    return (JSON.parse(json) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export async function machineInfo(redis: BenchRedis, ceilingRequests: number): Promise<MachineInfo> {
  const ceiling = await redisCeiling(redis.target.port, ceilingRequests);
  // redis-benchmark leaves its keys behind; no run may start on a dirty server.
  await redis.flushAll();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    freeMemoryGb: freemem() / 2 ** 30,
    loadAverage: loadavg(),
    os: `${osType()} ${release()}`,
    node: process.version,
    redis: await redis.version(),
    packages: Object.fromEntries(
      ['turbine-queue', 'bullmq', 'bee-queue', 'ioredis'].map((name) => [name, installedVersion(name)]),
    ),
    ...(ceiling && { ceiling }),
  };
}

export function describeMachine(machine: MachineInfo): string[] {
  const packages = Object.entries(machine.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const lines = [
    `CPU: ${machine.cpuModel}, ${machine.cores} cores; memory ${machine.memoryGb.toFixed(1)} GB (${machine.freeMemoryGb.toFixed(1)} GB free)`,
    `OS: ${machine.os}; Node ${machine.node}; Redis ${machine.redis}; load average at start ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
    `Packages: ${packages}`,
  ];
  if (machine.ceiling) {
    const rates = machine.ceiling.map(
      (c) => `${c.command} ${Math.round(c.requestsPerSec).toLocaleString('en-US')}/s`,
    );
    lines.push(`Redis ceiling (redis-benchmark -P 16): ${rates.join(', ')}`);
  } else {
    lines.push('Redis ceiling: redis-benchmark not installed');
  }
  return lines;
}
