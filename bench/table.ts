/** The results table, as aligned text for stdout and as Markdown for the report. */
import { ratioPairs, type ResultRow } from './aggregate.js';
import { formatNumber, formatRatio } from './format.js';
import { rangesOverlap } from './stats.js';
import type { SystemName } from './systems/types.js';

function header(systems: SystemName[]): string[] {
  return ['case', 'metric', ...systems, ...ratioPairs(systems).map(({ ours, peer }) => `${ours}/${peer}`)];
}

/** Median, with the min–max spread when there was more than one repetition. */
function cell(row: ResultRow, system: SystemName): string {
  const summary = row.summaries.get(system);
  if (!summary) return '–';
  const median = formatNumber(summary.median);
  if (summary.count < 2) return median;
  return `${median} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

/** `ours` over `peer`, in parentheses when their ranges overlap (the run does not separate them). */
function ratioCell(row: ResultRow, ours: SystemName, peer: SystemName): string {
  const ratio = formatRatio(row.ratios.find((r) => r.ours === ours && r.peer === peer)?.value);
  return rangesOverlap(row.summaries.get(ours), row.summaries.get(peer)) ? `(${ratio})` : ratio;
}

function body(rows: ResultRow[], systems: SystemName[]): string[][] {
  const pairs = ratioPairs(systems);
  return rows.map((row, i) => [
    // The case name only on its first metric, so each case reads as one block.
    rows[i - 1]?.benchCase === row.benchCase ? '' : row.benchCase.id,
    `${row.metric.label} ${row.metric.better === 'higher' ? '↑' : '↓'}`,
    ...systems.map((system) => cell(row, system)),
    ...pairs.map(({ ours, peer }) => ratioCell(row, ours, peer)),
  ]);
}

export function textTable(rows: ResultRow[], systems: SystemName[]): string {
  return alignedText([header(systems), ...body(rows, systems)]);
}

/** Rows as aligned text under a rule: the first two columns (names) to the left, numbers to the right. */
export function alignedText(lines: string[][]): string {
  const widths = lines[0]?.map((_, col) => Math.max(...lines.map((line) => (line[col] ?? '').length))) ?? [];
  const render = (line: string[]): string =>
    line
      .map((text, col) => (col < 2 ? text.padEnd(widths[col] ?? 0) : text.padStart(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  const [head, ...rest] = lines;
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [render(head ?? []), rule, ...rest.map(render)].join('\n');
}

export function markdownTable(rows: ResultRow[], systems: SystemName[]): string {
  const head = header(systems);
  const align = head.map((_, col) => (col < 2 ? ':--' : '--:'));
  return [head, align, ...body(rows, systems)].map((line) => `| ${line.join(' | ')} |`).join('\n');
}
