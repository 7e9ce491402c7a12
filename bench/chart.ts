/**
 * A horizontal grouped bar chart of throughput relative to BullMQ, as a hand-written SVG
 * string (no charting dependency): one group per throughput case, one bar per other system,
 * and a line at 1× where BullMQ stands.
 */
import type { ResultRow } from './aggregate.js';
import { formatRatio } from './format.js';
import type { SystemName } from './systems/types.js';

const COLORS: Record<SystemName, string> = {
  turbine: '#2563eb',
  'turbine-sqlite': '#0891b2',
  bullmq: '#dc2626',
  'bee-queue': '#d97706',
};
const BASELINE: SystemName = 'bullmq';
const LABEL_WIDTH = 190;
const PLOT_WIDTH = 460;
const BAR_HEIGHT = 16;
const GROUP_GAP = 14;
const TOP = 48;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Bar {
  system: SystemName;
  ratio: number;
}

export function ratioChart(rows: ResultRow[], systems: SystemName[]): string {
  const compared = systems.filter((s) => s !== BASELINE);
  const groups = rows
    .filter((row) => row.benchCase.chartMetric === row.metric.key)
    .map((row) => {
      const base = row.summaries.get(BASELINE)?.median;
      const bars: Bar[] = compared.flatMap((system) => {
        const median = row.summaries.get(system)?.median;
        return base && median !== undefined ? [{ system, ratio: median / base }] : [];
      });
      return { label: row.benchCase.id, bars };
    })
    .filter((group) => group.bars.length > 0);

  const maxRatio = Math.max(1.25, ...groups.flatMap((g) => g.bars.map((b) => b.ratio))) * 1.1;
  const x = (ratio: number): number => LABEL_WIDTH + (ratio / maxRatio) * PLOT_WIDTH;
  const parts: string[] = [];
  let y = TOP;
  for (const group of groups) {
    const groupHeight = group.bars.length * BAR_HEIGHT;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + groupHeight / 2 + 4}" text-anchor="end">${escapeXml(group.label)}</text>`,
    );
    for (const bar of group.bars) {
      const width = Math.max(1, x(bar.ratio) - LABEL_WIDTH);
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y + 1}" width="${width.toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${COLORS[bar.system]}"/>`,
        `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 4}">${formatRatio(bar.ratio)}</text>`,
      );
      y += BAR_HEIGHT;
    }
    y += GROUP_GAP;
  }
  const bottom = Math.max(y, TOP + 20);
  const legend = compared.map(
    (system, i) =>
      `<rect x="${LABEL_WIDTH + i * 120}" y="${bottom + 6}" width="12" height="12" fill="${COLORS[system]}"/>` +
      `<text x="${LABEL_WIDTH + i * 120 + 16}" y="${bottom + 16}">${system}</text>`,
  );
  const height = bottom + 30;
  const width = LABEL_WIDTH + PLOT_WIDTH + 60;
  const empty =
    groups.length === 0
      ? `<text x="${LABEL_WIDTH}" y="${TOP + 14}">no throughput data for ${BASELINE}</text>`
      : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">Throughput relative to ${BASELINE} (median, higher is better)</text>`,
    `<line x1="${x(1)}" y1="${TOP - 10}" x2="${x(1)}" y2="${bottom - 6}" stroke="#111827" stroke-dasharray="4 3"/>`,
    `<text x="${x(1)}" y="${TOP - 14}" text-anchor="middle">${BASELINE} = 1×</text>`,
    ...parts,
    empty,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
