/**
 * The sweep table: every run's metrics.json flattened into one row of
 * columns (`a1_measure.All.feed.pctWithinTarget`), headline columns first,
 * with the point's parameters and the run's status, seed and time; and per
 * point, each figure's mean and 95 % confidence interval over the
 * replications (Student t). Written as CSV (sweep.csv, points.csv) and as
 * DuckDB tables (sweep.duckdb: `runs`, `points`, and `figures`, every figure
 * of every run in long form, the 15-minute ones and the differences too).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SweepPlan } from './file.js';
import { writeAtomic, type RunRecord, type SweepDir } from './store.js';

type Cell = number | string | null;

interface PairedRow {
  key?: Record<string, string>;
  feed?: Record<string, number | null>;
  truth?: Record<string, number | null>;
  diff?: Record<string, number | null>;
  [field: string]: unknown;
}

interface MetricsJson {
  metrics: Record<string, { rows: PairedRow[] }>;
  caveats: Record<string, { rows: PairedRow[] }>;
}

/** Families keyed by 15-minute window: in the long `figures` table, not as columns (hundreds of windows each). */
const WINDOWED = new Set(['hop_latency_15min', 'mean_vs_median']);

/** The run-level figures the capacity report reads, first among the columns. */
export const HEADLINE = ['a1.pct', 'a1.pctTruth', 'a1.alerts', 'a1.throttled', 'a1.failed', 'e2e.medianMs', 'e2e.p95Ms', 'e2e.p99Ms'] as const;
export const HEADLINE_WORDS: Record<(typeof HEADLINE)[number], string> = {
  'a1.pct': 'A1 % within target (feeds)',
  'a1.pctTruth': 'A1 % within target (truth)',
  'a1.alerts': 'alerts counted by A1',
  'a1.throttled': 'alerts throttled',
  'a1.failed': 'alerts failed',
  'e2e.medianMs': 'end to end, median (ms)',
  'e2e.p95Ms': 'end to end, p95 (ms)',
  'e2e.p99Ms': 'end to end, p99 (ms)',
};

function headline(m: MetricsJson): Record<string, Cell> {
  const all = m.metrics.a1_measure?.rows.find((r) => r.key?.region === 'All');
  // The day of the run with the most alerts: a storm's day.
  const e2e = (m.metrics.hop_latency_daily?.rows ?? [])
    .filter((r) => r.key?.region === 'All' && r.key?.alertCode === 'All' && r.key?.hop === 'endToEnd')
    .sort((a, b) => (b.feed?.alerts ?? 0) - (a.feed?.alerts ?? 0))[0];
  return {
    'a1.pct': all?.feed?.pctWithinTarget ?? null,
    'a1.pctTruth': all?.truth?.pctWithinTarget ?? null,
    'a1.alerts': all?.feed?.alerts ?? null,
    'a1.throttled': all?.feed?.throttled ?? null,
    'a1.failed': all?.feed?.failed ?? null,
    'e2e.medianMs': e2e?.feed?.medianMs ?? null,
    'e2e.p95Ms': e2e?.feed?.p95Ms ?? null,
    'e2e.p99Ms': e2e?.feed?.p99Ms ?? null,
  };
}

/** Every figure of a metrics.json: (metric, key, source, field, value); source is feed, truth, diff or '' for one-source caveats. */
export function* figures(m: MetricsJson): Generator<[string, string, string, string, number | null]> {
  for (const family of [m.metrics, m.caveats]) {
    for (const [id, def] of Object.entries(family)) {
      for (const row of def.rows) {
        if (row.key !== undefined) {
          const key = Object.values(row.key).join('/');
          for (const source of ['feed', 'truth', 'diff'] as const) {
            for (const [field, v] of Object.entries(row[source] ?? {})) yield [id, key, source, field, v];
          }
        } else {
          // One-source rows (caveat_csp_received, caveat_hub_time): their text fields are the key.
          const key = Object.values(row).filter((v) => typeof v === 'string').join('/');
          for (const [field, v] of Object.entries(row)) if (typeof v === 'number' || v === null) yield [id, key, '', field, v];
        }
      }
    }
  }
}

/** One run's columns: the headline, then every figure but the 15-minute ones and the differences. */
export function flatten(metricsJson: string): Map<string, Cell> {
  const m = JSON.parse(metricsJson) as MetricsJson;
  const out = new Map<string, Cell>(Object.entries(headline(m)));
  for (const [id, key, source, field, v] of figures(m)) {
    if (WINDOWED.has(id) || source === 'diff') continue;
    out.set([id, key, source, field].filter((s) => s !== '').join('.'), v);
  }
  return out;
}

/** Student t's 97.5 % quantile (two-sided 95 %), df 1..30 exact to 3 places, then interpolated in 1/df. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const T975_TAIL: Array<[number, number]> = [[30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98], [Infinity, 1.96]];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  for (let i = 1; i < T975_TAIL.length; i++) {
    const [d0, t0] = T975_TAIL[i - 1];
    const [d1, t1] = T975_TAIL[i];
    if (df <= d1) {
      const w = (1 / d0 - 1 / df) / (1 / d0 - (d1 === Infinity ? 0 : 1 / d1));
      return t0 + w * (t1 - t0);
    }
  }
  return 1.96;
}

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Mean and 95 % Student-t interval of the values; one value has no interval. */
export function summarise(values: number[]): Summary {
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, mean, sd: null, ciLow: null, ciHigh: null };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

export interface SweepTable {
  columns: string[];
  records: RunRecord[];
  /** Per run (in plan order): its columns. */
  rows: Array<Map<string, Cell>>;
  /** Per point, per column: the summary over its finished runs. */
  points: Array<{ point: number; failed: number; stats: Map<string, Summary> }>;
}

export function buildTable(plan: SweepPlan, dir: SweepDir): SweepTable {
  const records = plan.runs.map((r) => dir.record(r.id));
  const rows = records.map((r) => {
    const text = r.status === 'ok' ? dir.metricsJson(r.id) : null;
    return text === null ? new Map<string, Cell>() : flatten(text);
  });
  const seen = new Set<string>(HEADLINE);
  for (const row of rows) for (const k of row.keys()) seen.add(k);
  const columns = [...seen];
  const points = plan.points.map((p) => {
    const mine = records.map((r, i) => [r, rows[i]] as const).filter(([r]) => r.point === p.index);
    const stats = new Map<string, Summary>();
    for (const c of columns) {
      const values = mine.filter(([r]) => r.status === 'ok').map(([, row]) => row.get(c)).filter((v): v is number => typeof v === 'number');
      stats.set(c, summarise(values));
    }
    return { point: p.index, failed: mine.filter(([r]) => r.status === 'failed').length, stats };
  });
  return { columns, records, rows, points };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (cells: unknown[]): string => cells.map(csvCell).join(',') + '\n';

/** sweep.csv (one row per run) and points.csv (one row per point and figure), as text. */
export function tableCsv(plan: SweepPlan, t: SweepTable): { runs: string; points: string } {
  let runs = csvLine(runColumns(plan, t).map(([name]) => name));
  t.records.forEach((r, i) => {
    const p = plan.points[r.point];
    runs += csvLine([r.id, p.id, r.replication, r.seed, ...p.values, r.status, r.attempts, Number(r.seconds.toFixed(3)), r.events, r.worker, r.error, ...t.columns.map((c) => t.rows[i].get(c) ?? null)]);
  });
  let points = csvLine(pointColumns(plan).map(([name]) => name));
  for (const pt of t.points) {
    const p = plan.points[pt.point];
    for (const c of t.columns) {
      const s = pt.stats.get(c)!;
      if (s.n === 0 && pt.failed === 0) continue;
      points += csvLine([p.id, ...p.values, c, s.n, pt.failed, ...[s.mean, s.sd, s.ciLow, s.ciHigh].map((v) => (v === null ? null : round(v)))]);
    }
  }
  return { runs, points };
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

/** A parameter's column type: DOUBLE when every value is a number, else its text. */
const paramType = (plan: SweepPlan, j: number): string => (plan.points.every((p) => typeof p.values[j] === 'number') ? 'DOUBLE' : 'VARCHAR');

/** sweep.csv's columns with their DuckDB types: figures are numbers. */
function runColumns(plan: SweepPlan, t: SweepTable): Array<[string, string]> {
  return [
    ['run', 'VARCHAR'], ['point', 'VARCHAR'], ['replication', 'INTEGER'], ['seed', 'BIGINT'],
    ...plan.parameters.map((k, j): [string, string] => [k, paramType(plan, j)]),
    ['status', 'VARCHAR'], ['attempts', 'INTEGER'], ['seconds', 'DOUBLE'], ['events', 'BIGINT'], ['worker', 'VARCHAR'], ['error', 'VARCHAR'],
    ...t.columns.map((c): [string, string] => [c, 'DOUBLE']),
  ];
}

function pointColumns(plan: SweepPlan): Array<[string, string]> {
  return [
    ['point', 'VARCHAR'],
    ...plan.parameters.map((k, j): [string, string] => [k, paramType(plan, j)]),
    ['figure', 'VARCHAR'], ['n', 'INTEGER'], ['failed', 'INTEGER'], ['mean', 'DOUBLE'], ['sd', 'DOUBLE'], ['ciLow', 'DOUBLE'], ['ciHigh', 'DOUBLE'],
  ];
}

/** read_csv with the columns given: sniffing a table of a thousand columns takes seconds. */
const readCsv = (file: string, columns: Array<[string, string]>): string =>
  `read_csv(${lit(file)}, header = true, auto_detect = false, columns = {${columns.map(([n, ty]) => `${lit(n)}: '${ty}'`).join(', ')}})`;
const lit = (p: string): string => `'${p.replace(/'/g, "''")}'`;

/** Writes sweep.csv, points.csv and sweep.duckdb into the sweep directory (each replaced whole). */
export async function writeTable(plan: SweepPlan, dir: SweepDir, t: SweepTable): Promise<string[]> {
  const csv = tableCsv(plan, t);
  const out = (f: string) => path.join(dir.dir, f);
  writeAtomic(out('sweep.csv'), csv.runs);
  writeAtomic(out('points.csv'), csv.points);
  // The long table goes through a temporary CSV: DuckDB reads it far faster than rows can be appended.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-sweep-'));
  const dbTmp = out(`.sweep.duckdb.tmp-${process.pid}`);
  try {
    const long = path.join(tmp, 'figures.csv');
    const fd = fs.openSync(long, 'w');
    fs.writeSync(fd, csvLine(['run', 'point', 'metric', 'key', 'source', 'field', 'value']));
    t.records.forEach((r) => {
      const text = r.status === 'ok' ? dir.metricsJson(r.id) : null;
      if (text === null) return;
      let chunk = '';
      for (const f of figures(JSON.parse(text) as MetricsJson)) chunk += csvLine([r.id, plan.points[r.point].id, ...f]);
      fs.writeSync(fd, chunk);
    });
    fs.closeSync(fd);
    for (const f of [dbTmp, dbTmp + '.wal']) fs.rmSync(f, { force: true });
    const instance = await DuckDBInstance.create(dbTmp);
    const conn = await instance.connect();
    const figureColumns: Array<[string, string]> = [['run', 'VARCHAR'], ['point', 'VARCHAR'], ['metric', 'VARCHAR'], ['key', 'VARCHAR'], ['source', 'VARCHAR'], ['field', 'VARCHAR'], ['value', 'DOUBLE']];
    try {
      await conn.run(`CREATE TABLE runs AS SELECT * FROM ${readCsv(out('sweep.csv'), runColumns(plan, t))}`);
      await conn.run(`CREATE TABLE points AS SELECT * FROM ${readCsv(out('points.csv'), pointColumns(plan))}`);
      await conn.run(`CREATE TABLE figures AS SELECT * FROM ${readCsv(long, figureColumns)}`);
      await conn.run('CHECKPOINT');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    fs.rmSync(dbTmp + '.wal', { force: true });
    fs.renameSync(dbTmp, out('sweep.duckdb'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dbTmp, { force: true });
  }
  return ['sweep.csv', 'points.csv', 'sweep.duckdb'].map(out);
}
