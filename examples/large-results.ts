// BEST_PRACTICES § Performance Optimization → Use Compression for Large Results.
// Nothing to configure: a result over 1 KiB is stored deflated when that saves 10 % or more, and
// get() inflates it. (Very large values are better kept out of the queue: see pass-references.ts.)
import type { Turbine } from '../src/index.js';

export interface ReportRow {
  reportId: number;
  row: number;
  region: string;
  revenue: number;
  note: string;
}

/** About 1 MB of JSON: repetitive, like most reports, so it compresses well. */
export function buildReport(reportId: number, rows = 9_000): ReportRow[] {
  const regions = ['north', 'south', 'east', 'west'];
  return Array.from({ length: rows }, (_, row) => ({
    reportId,
    row,
    region: regions[row % regions.length]!,
    revenue: (row * 37) % 1_000,
    note: 'quarterly figures, reconciled against the ledger',
  }));
}

export async function largeReportRoundTrip(app: Turbine, queue = 'reports') {
  const generateLargeReport = app.task('generate_large_report', { queue }, async (reportId: number) =>
    buildReport(reportId),
  );

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const r = await generateLargeReport.delay(7);
    const report = await r.get({ timeout: '10s' });
    return { taskId: r.id, report, jsonBytes: Buffer.byteLength(JSON.stringify(report)) };
  } finally {
    await worker.stop();
  }
}
