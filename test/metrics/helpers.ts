/** Shared by the metrics tests: fixture paths and reading metrics.json. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReport, type ReportOptions } from '../../src/metrics/index.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string): string => path.join(root, 'fixtures', name);
export const readJson = (p: string): any => JSON.parse(readFileSync(p, 'utf8'));

export interface Report {
  out: string;
  json: any;
  records: number;
  badRecords: number;
}

/** Runs the report of a fixture (hand-made: no manifest to verify) into a fresh temporary folder and reads its metrics.json. */
export async function report(dir: string, opts: ReportOptions = {}): Promise<Report> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-'));
  const r = await runReport(dir, { verify: false, ...opts, out });
  return { out, json: readJson(path.join(out, 'metrics.json')), records: r.records, badRecords: r.badRecords };
}

function keyed(rows: any[], key: Record<string, unknown>, what: string): any {
  const r = rows.find((x) => Object.entries(key).every(([k, v]) => x.key[k] === v));
  if (r === undefined) throw new Error(`no row ${JSON.stringify(key)} in ${what}`);
  return r;
}

/** The paired row of a metric whose key matches. */
export const row = (json: any, metric: string, key: Record<string, unknown>): any => keyed(json.metrics[metric].rows, key, metric);

/** The paired row of a caveat computed from both sources (feed and truth) whose key matches. */
export const caveatRow = (json: any, caveat: string, key: Record<string, unknown>): any => keyed(json.caveats[caveat].rows, key, caveat);
