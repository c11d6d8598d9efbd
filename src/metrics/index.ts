/**
 * The reference metrics pipeline: a run directory's feeds in (docs/feeds.md),
 * Performance Measurement Report figures out, each beside the same figure
 * computed from the ground truth. Reads only the run directory; knows nothing
 * of the simulator. Definitions: src/metrics/sql/; description:
 * docs/metrics.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FeedError, loadRunDir, type LoadResult } from './load.js';
import { A1_STARTS, computeAll, type A1Start } from './compute.js';
import { renderHtml, renderJson, renderMarkdown, type ReportData } from './report.js';
import { verifyRunDir } from '../feeds/manifest.js';
import { OutputError, reason } from '../feeds/sink.js';

export { FeedError, loadRunDir, MAX_LISTED, type BadRecord, type LoadResult, type TableLoad } from './load.js';
export { ALERT_METRICS, ALERT_CAVEATS, ALERT_QUALITY, REQUEST_METRICS, AVAILABILITY_METRICS, FIRMWARE_METRICS, A1_STARTS, type A1Start, type MetricResult, type CaveatResult, type PairedRow } from './compute.js';
export { TABLES, columnsOf, type Column, type TableDef } from './columns.js';

/** A1's target (seed 004, 2.4.7: "required SLA time (60 seconds)"). */
export const DEFAULT_SLA_MS = 60_000;

export const REPORT_FILES = ['metrics.duckdb', 'report.html', 'report.md', 'metrics.json'] as const;

/** Files a report may leave in a run directory besides those its manifest lists. */
const REPORT_LEFTOVERS = [...REPORT_FILES, 'metrics.duckdb.wal'];

export interface ReportOptions {
  /** 'stop' (default): throw a FeedError at the first record that breaks its schema; 'skip': leave it out and count it. */
  onBadRecord?: 'stop' | 'skip';
  /** A1's target in milliseconds (default 60000); the boundary is inclusive. */
  slaMs?: number;
  /** Where A1's clock starts for AD1: 'raised' by the CSP (default) or at the 'power-loss'. */
  a1Start?: A1Start;
  /** Where the report files go (default: the run directory). */
  out?: string;
  /**
   * The run directory as the user named it, for the report's text (default:
   * runDir). `run` reports on its staging directory before moving it into
   * place, so it names the target here.
   */
  name?: string;
  /**
   * Check first that the directory is one whole run: its manifest.json, and
   * every file it lists with the same size, records and SHA-256, nothing else
   * (default true). False reports on feeds from elsewhere, and says so.
   */
  verify?: boolean;
}

export interface ReportResult {
  /** Paths of the files written. */
  files: string[];
  records: number;
  badRecords: number;
  /** Wall time of the whole report, loading included. */
  seconds: number;
  /** Wall time of loading the feeds into DuckDB. */
  loadSeconds: number;
}

function runInfo(runDir: string, verified: boolean): ReportData['run'] {
  let scenario: string | null = null;
  let seed: number | null = null;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as { scenario?: { name?: unknown }; seed?: unknown };
    if (typeof m.scenario?.name === 'string') scenario = m.scenario.name;
    if (typeof m.seed === 'number') seed = m.seed;
  } catch {
    // feeds from another source need no manifest
  }
  return { dir: runDir, scenario, seed, verified };
}

/**
 * Loads `runDir`'s feeds into `<out>/metrics.duckdb` and writes report.html,
 * report.md and metrics.json beside it.
 */
export async function runReport(runDir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const t0 = performance.now();
  const slaMs = opts.slaMs ?? DEFAULT_SLA_MS;
  if (!Number.isSafeInteger(slaMs) || slaMs <= 0) {
    throw new FeedError('--sla', 0, '', `the A1 target must be a whole number of milliseconds above zero (got ${slaMs})`);
  }
  const a1Start = opts.a1Start ?? 'raised';
  if (!A1_STARTS.includes(a1Start)) throw new FeedError('--a1-start', 0, '', `must be one of ${A1_STARTS.join(', ')} (got ${String(a1Start)})`);
  const verify = opts.verify ?? true;
  if (verify) verifyRunDir(runDir, REPORT_LEFTOVERS);
  if (!fs.existsSync(path.join(runDir, 'feeds')) || !fs.statSync(path.join(runDir, 'feeds')).isDirectory()) {
    throw new FeedError(runDir, 0, '', 'not a run directory: it has no feeds/ folder');
  }
  const out = opts.out ?? runDir;
  const dbPath = path.join(out, 'metrics.duckdb');
  const environment = (what: string, err: unknown) => new OutputError(`cannot write ${what}: ${reason(err)}`);
  let instance: DuckDBInstance;
  try {
    fs.mkdirSync(out, { recursive: true });
    for (const f of [dbPath, dbPath + '.wal']) fs.rmSync(f, { force: true });
    instance = await DuckDBInstance.create(dbPath);
  } catch (err) {
    throw environment(dbPath, err);
  }
  const conn = await instance.connect();
  let load: LoadResult;
  let data: ReportData;
  try {
    load = await loadRunDir(conn, runDir, { onBadRecord: opts.onBadRecord ?? 'stop' });
    data = { run: { ...runInfo(runDir, verify), dir: opts.name ?? runDir }, slaMs, a1Start, load, ...(await computeAll(conn, { slaMs, a1Start, window: load.window })) };
    await conn.run('CHECKPOINT');
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    for (const f of [dbPath, dbPath + '.wal']) fs.rmSync(f, { force: true });
    // DuckDB's own I/O failures (disk full while loading) are the environment's, not the feeds'.
    if (!(e instanceof FeedError) && /\bIO Error\b|No space left|Permission denied|Read-only file system/i.test((e as Error).message)) throw environment(dbPath, e);
    throw e;
  }
  conn.closeSync();
  instance.closeSync();
  const files = [dbPath];
  const write = (name: string, text: string): void => {
    const p = path.join(out, name);
    try {
      fs.writeFileSync(p, text);
    } catch (err) {
      throw environment(p, err);
    }
    files.push(p);
  };
  write('report.html', renderHtml(data));
  write('report.md', renderMarkdown(data));
  write('metrics.json', renderJson(data));
  return { files, records: load.records, badRecords: load.badRecords, seconds: (performance.now() - t0) / 1000, loadSeconds: load.seconds };
}
