/**
 * Times the metrics pipeline on a run directory: loading the feeds into
 * DuckDB, then the whole report (loading included). The target: the feeds of
 * a 1-million-hub storm (about 8 million records) loaded and reported in
 * under 20 s.
 *
 *   node dist/bench/metrics.js <run-dir>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReport } from '../src/metrics/index.js';

export interface MetricsBench {
  loadSeconds: number;
  reportSeconds: number;
  records: number;
  recordsPerSecond: number;
}

export async function benchMetrics(runDir: string): Promise<MetricsBench> {
  const r = await runReport(runDir, { onBadRecord: 'skip' });
  const out: MetricsBench = {
    loadSeconds: r.loadSeconds,
    reportSeconds: r.seconds,
    records: r.records,
    recordsPerSecond: r.records / r.seconds,
  };
  process.stdout.write(
    `metrics ${runDir}: ${r.records.toLocaleString('en-GB')} records, load ${out.loadSeconds.toFixed(2)} s, ` +
      `report ${out.reportSeconds.toFixed(2)} s (loading included), ${Math.round(out.recordsPerSecond).toLocaleString('en-GB')} records/s` +
      (r.badRecords > 0 ? `, ${r.badRecords} bad records skipped` : '') +
      '\n',
  );
  return out;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node dist/bench/metrics.js <run-dir>\n');
    process.exit(2);
  }
  await benchMetrics(dir);
}
