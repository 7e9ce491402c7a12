/**
 * `node --import tsx bench/profile-summary.ts <file.cpuprofile>…`: where a worker's CPU went over
 * a drain, grouped (bench/profile-groups.ts). Take the profiles with `BENCH_CHILD_FLAGS`; the
 * command is in docs/performance.md, "What a task costs".
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { formatNumber } from './format.js';
import { profileGroups, type CpuProfile } from './profile-groups.js';
import { alignedText } from './table.js';

const command = new Command()
  .name('node --import tsx bench/profile-summary.ts')
  .description("A worker's CPU over a drain, from a V8 CPU profile, grouped by what the code does.")
  .argument('<profiles...>', '.cpuprofile files')
  .option('--marker <function>', 'the window runs from its first sample to its last', 'decodeEnvelope')
  .parse();
const { marker } = command.opts<{ marker: string }>();

for (const path of command.args) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const { windowMs, idleMs, groups } = profileGroups(profile, marker);
  const busyMs = windowMs - idleMs;
  console.log(
    `\n${path}\nwindow ${formatNumber(windowMs)} ms, idle ${formatNumber((idleMs / windowMs) * 100)} %; ` +
      `of the busy ${formatNumber(busyMs)} ms:\n`,
  );
  const rows = groups.map(({ group, ms }) => [
    `${formatNumber((ms / busyMs) * 100)} %`,
    formatNumber(ms),
    group,
  ]);
  console.log(alignedText([['share', 'ms', 'what'], ...rows]));
}
