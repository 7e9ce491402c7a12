/** Number formatting shared by the stdout table, the Markdown report and the chart. */

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  // Two significant digits for small ratios, which toFixed(2) would show as 0.00×.
  return `${value < 0.1 ? value.toPrecision(2) : value.toFixed(2)}×`;
}
