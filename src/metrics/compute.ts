/**
 * Runs the metric definitions (src/metrics/sql/*.sql) over a loaded database
 * and reads back every figure twice, from the feeds and from the ground
 * truth, paired by the metric's key columns with their difference.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { definePeriod } from './period.js';
import { defineRequestCatalogue } from './request-catalogue.js';
import { REQUEST_METRICS } from './process-metrics.js';

export { REQUEST_METRICS };

/** The SQL files, in the order they are run (later ones use earlier macros). */
export const SQL_FILES = [
  'sources.sql', 'alerts.sql', 'alert-caveats.sql', 'requests.sql', 'requests-processes.sql',
  'availability.sql', 'incidents.sql', 'install-leave.sql', 'detection.sql', 'firmware.sql',
] as const;

/** The sql/ folder: beside this module, or in src/ when running the compiled dist/. */
export function sqlDir(): string {
  for (const rel of ['./sql/', '../../../src/metrics/sql/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (fs.existsSync(dir + 'alerts.sql')) return dir;
  }
  throw new Error('cannot find the metric definitions (src/metrics/sql/alerts.sql)');
}

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** A figure as the feeds give it, as the ground truth gives it, and feed minus truth. */
export interface PairedRow {
  key: Row;
  feed: Row | null;
  truth: Row | null;
  diff: Row | null;
}

/**
 * Where A1's clock starts for AD1, a DCC Alert raised by a CSP: when the CSP
 * raises it (the default), or at the power loss it reports, 3 minutes
 * earlier by definition (for comparison). docs/metrics.md, "Where A1's clock
 * starts".
 */
export const A1_STARTS = ['raised', 'power-loss'] as const;
export type A1Start = (typeof A1_STARTS)[number];

/** What every metric is computed with. */
export interface MetricOptions {
  /** A1's target, ms (inclusive). */
  slaMs: number;
  a1Start: A1Start;
  /** The run's window (manifest.json), null without one: the reporting period of availability and incidents (src/metrics/period.ts). */
  window?: { from: string; to: string } | null;
}

export interface MetricDef {
  /** Also the name of the result table in the database (`metric_<id>`). */
  id: string;
  title: string;
  /** Where the definition comes from (seed and section). */
  source: string;
  /** The SQL call, given the source table name and the options. */
  call: (src: string, o: MetricOptions) => string;
  keys: string[];
  values: string[];
  /** The feed and truth source views (default the alerts': ast_alerts, truth_alerts). */
  sources?: readonly [string, string];
}

const lit = (s: string): string => `'${s}'`;
/** The named arguments of a macro that takes A1's target and AD1's start. */
const a1Args = (o: MetricOptions): string => `sla_ms := ${o.slaMs}, a1_start := ${lit(o.a1Start)}`;

export const ALERT_METRICS: readonly MetricDef[] = [
  {
    id: 'a1_measure',
    title: 'A1: alerts delivered within the target',
    source: 'seed 004, Requirement 2, 2.4.7 Alerts, A1 (Measure)',
    call: (src, o) => `a1_measure(${lit(src)}, ${a1Args(o)})`,
    keys: ['region'],
    values: ['alerts', 'withinTarget', 'missed', 'failed', 'throttled', 'rejected', 'pctWithinTarget'],
  },
  {
    id: 'a1_daily',
    title: 'A1 by day',
    source: 'seed 004, 2.4.7 A1; 2.3.1 (daily data points)',
    call: (src, o) => `a1_daily(${lit(src)}, ${a1Args(o)})`,
    keys: ['day', 'region'],
    values: ['alerts', 'withinTarget', 'pctWithinTarget'],
  },
  {
    id: 'a1_indicator',
    title: 'A1 indicator: alerts that missed the target, by alert code',
    source: 'seed 004, 2.4.7 A1 (during a storm: all alerts sent to the User)',
    call: (src, o) => `a1_indicator(${lit(src)}, ${a1Args(o)})`,
    keys: ['alertCode'],
    values: ['alerts', 'missed', 'late', 'failed', 'pctMissed'],
  },
  {
    id: 'ad1_power_loss',
    title: 'AD1: power loss to delivery (beside A1, whose clock starts when the CSP raises AD1)',
    source: 'seed 001, 5.2 (AD1: CSP notification of a power outage of 3 minutes or more); seed 004, 2.4.7 A1',
    call: (src) => `ad1_power_loss(${lit(src)})`,
    keys: ['region'],
    values: ['alerts', 'delivered', 'meanMs', 'medianMs', 'p95Ms', 'maxMs', 'medianConfirmationMs', 'medianFromRaisedMs'],
  },
  {
    id: 'rsvp_alerts',
    title: 'RSVP: alerts (shaped as seed 004 Table 2)',
    source: 'seed 004, Requirement 1, 2.3.1 RSVP, Table 2; Figure 1 Alerts Management',
    call: (src, o) => `rsvp_alerts(${lit(src)}, ${a1Args(o)})`,
    keys: ['process', 'region'],
    values: ['averageMs', 'medianMs', 'shortestMs', 'longestMs', 'pctWithinTarget', 'volume', 'pctFailed'],
  },
  {
    id: 'hop_latency_daily',
    title: 'Alert hop latencies by day',
    source: 'seed 000, CR1418 [A] timing points; seed 004, 2.3.1 Speed',
    call: (src, o) => `alert_hop_latency(${lit(src)}, bucket := INTERVAL 1 DAY, a1_start := ${lit(o.a1Start)})`,
    keys: ['periodStart', 'region', 'alertCode', 'hop'],
    values: ['alerts', 'meanMs', 'medianMs', 'p95Ms', 'p99Ms', 'minMs', 'maxMs'],
  },
  {
    id: 'hop_latency_15min',
    title: 'Alert hop latencies per 15-minute window',
    source: 'seed 000, CR1418 [A], [B] (15-minute intervals); seed 004, 2.3.1 Speed',
    call: (src, o) => `alert_hop_latency(${lit(src)}, bucket := INTERVAL 15 MINUTE, a1_start := ${lit(o.a1Start)})`,
    keys: ['periodStart', 'region', 'alertCode', 'hop'],
    values: ['alerts', 'meanMs', 'medianMs', 'p95Ms', 'p99Ms', 'minMs', 'maxMs'],
  },
  {
    id: 'mean_vs_median',
    title: 'End-to-end mean versus median per 15-minute window',
    source: 'seed 004, 2.3.1 Speed (mean and median)',
    call: (src, o) => `caveat_mean_vs_median(${lit(src)}, a1_start := ${lit(o.a1Start)})`,
    keys: ['windowStart'],
    values: ['alerts', 'meanMs', 'medianMs', 'meanMinusMedianMs', 'p95Ms', 'maxMs'],
  },
];

/** Availability feed and truth sources (src/metrics/sql/availability.sql). */
const AVAILABILITY_SOURCES = ['availability_feed_intervals', 'availability_truth_intervals'] as const;
const AVAILABILITY_SOURCE = 'seed 004, Requirement 3 (Service Availability, time of day, downtime in minutes and hours, MTTR, MTBF)';

/** Service Availability and reliability of the DCC Services, from the availability events and from the true outages. */
export const AVAILABILITY_METRICS: readonly MetricDef[] = [
  {
    id: 'availability_monthly',
    title: 'Service Availability by month, service and region, with MTTR and MTBF',
    source: AVAILABILITY_SOURCE,
    call: (src) => `availability_monthly(${lit(src)})`,
    keys: ['month', 'service', 'region'],
    values: ['periodMinutes', 'plannedMaintenanceMinutes', 'uptimeMinutes', 'unplannedDowntimeMinutes', 'unplannedDowntimeHours', 'availabilityPct', 'failures', 'mttrHours', 'mtbfHours'],
    sources: AVAILABILITY_SOURCES,
  },
  {
    id: 'availability_daily',
    title: 'Service Availability by day (line graph)',
    source: 'seed 004, Requirement 3, "Monthly view ... depicted as a line graph across the days of the month"',
    call: (src) => `availability_daily(${lit(src)})`,
    keys: ['day', 'service', 'region'],
    values: ['unplannedDowntimeMinutes', 'plannedMaintenanceMinutes', 'availabilityPct'],
    sources: AVAILABILITY_SOURCES,
  },
  {
    id: 'availability_time_of_day',
    title: 'Service Availability by time of day',
    source: 'seed 004, Requirement 3, "Reporting Service availability by time of day"',
    call: (src) => `availability_time_of_day(${lit(src)})`,
    keys: ['service', 'region', 'band'],
    values: ['uptimeMinutes', 'unplannedDowntimeMinutes', 'availabilityPct'],
    sources: AVAILABILITY_SOURCES,
  },
];

/** Incident sources: Remedy as known at the run's end, and every incident's whole life (src/metrics/sql/incidents.sql). */
const INCIDENT_SOURCES = ['incidents', 'incident_truth'] as const;

export const INCIDENT_METRICS: readonly MetricDef[] = [
  {
    id: 'incidents_by_category',
    title: 'Reliability: incidents by category',
    source: 'seed 004, Requirement 3, "Measuring Service reliability"; seed 000, CR1420 [A]',
    call: (src) => `incidents_by_category(${lit(src)})`,
    keys: ['category'],
    values: ['raised', 'closed', 'openAtEnd', 'meanResolutionHours'],
    sources: INCIDENT_SOURCES,
  },
  {
    id: 'cpm5',
    title: 'CPM5: incident categories 3, 4 and 5 by resolver group and SMETS generation',
    source: 'seed 004, Requirement 5 and 3.2.5 (counted by closure in the period); seed 000, CR1420 [A]',
    call: (src) => `cpm5(${lit(src)})`,
    keys: ['category', 'resolverGroup', 'smets'],
    values: [
      'openAtEnd', 'raised', 'closed', 'closedMetInitialResponse', 'closedMetResolution', 'pctClosedMetResolution', 'medianResolutionHours',
      'raisedMetInitialResponse', 'raisedMetResolution', 'pctRaisedMetResolution',
    ],
    sources: INCIDENT_SOURCES,
  },
];

const FW: readonly [string, string] = ['firmware_daily', 'firmware_daily_truth'];
const CH: readonly [string, string] = ['firmware_comms_hub_daily', 'firmware_comms_hub_truth'];

/** Firmware metrics (src/metrics/sql/firmware.sql), over the daily firmware feeds and the firmware truth. */
export const FIRMWARE_METRICS: readonly MetricDef[] = [
  {
    id: 'df1',
    title: 'DF1: SRV 11.1 images delivered to the Comms Hub within 5 days',
    source: 'seed 004, 2.4.5 DF1 (Measure); Figure 1 SR11.1 (5 days); seed 000 CR1421, CR1440',
    call: (src) => `df1(${lit(src)})`,
    keys: ['region'],
    values: ['targeted', 'distributed', 'withinTarget', 'missedTarget', 'failed', 'pctWithinTarget'],
    sources: FW,
  },
  {
    id: 'df2',
    title: 'DF2: device image verification (8F72, 8F1C, silent past the deadline)',
    source: 'seed 004, 2.4.5 DF2 (Indicator); seed 003 (devices that never acknowledge)',
    call: (src) => `df2(${lit(src)})`,
    keys: ['region', 'population'],
    values: ['devices', 'verified', 'failed', 'silent', 'pctVerified', 'pctFailed', 'pctSilent'],
    sources: FW,
  },
  {
    id: 'df3',
    title: 'DF3: SRV 11.3 activation responses',
    source: 'seed 004, 2.4.5 DF3 (Indicator)',
    call: (src) => `df3(${lit(src)})`,
    keys: ['region'],
    values: ['success', 'failure', 'pctSuccess', 'pctFailure'],
    sources: FW,
  },
  {
    id: 'ch1',
    title: 'CH1: Comms Hub firmware images delivered to the hub',
    source: 'seed 004, 2.4.6 CH1 (Indicator); seed 000 CR1423',
    call: (src) => `ch1(${lit(src)})`,
    keys: ['region'],
    values: ['attempts', 'successes', 'failures', 'pctSuccess'],
    sources: CH,
  },
  {
    id: 'ch2',
    title: 'CH2: Comms Hub firmware activations',
    source: 'seed 004, 2.4.6 CH2 (Indicator); seed 000 CR1423',
    call: (src) => `ch2(${lit(src)})`,
    keys: ['region'],
    values: ['activations', 'activationFailures', 'pctActivated'],
    sources: CH,
  },
  {
    id: 'firmware_daily_figures',
    title: 'DF1-DF3 by day',
    source: 'seed 004, 2.4.5; 2.3.1 (daily data points)',
    call: (src) => `firmware_daily_figures(${lit(src)})`,
    keys: ['day'],
    values: ['pctDf1', 'pctDf2', 'pctDf3', 'distributed', 'activated'],
    sources: FW,
  },
  {
    id: 'firmware_campaigns',
    title: 'Firmware campaign totals',
    source: 'seed 000 CR1421 [A] (SRV 11.1 linked to its devices\' outcomes)',
    call: (src) => `firmware_campaigns(${lit(src)})`,
    keys: ['campaignId', 'deviceType'],
    values: ['targeted', 'distributed', 'pctDf1', 'verified', 'failed', 'silent', 'noAcknowledgement', 'activated', 'activationFailed'],
    sources: FW,
  },
];

/** Caveats computed like the metrics, from the feeds and from the ground truth, side by side. */
export const ALERT_QUALITY: readonly MetricDef[] = [
  {
    id: 'caveat_smets1_start',
    title: 'SMETS1: A1 from T1 (the audit trail) and from T2 (the AST record alone)',
    source: 'seed 000, CR1438 (T1, T2); seed 004, 2.4.7 A1',
    call: (src, o) => `caveat_smets1_start(${lit(src)}, sla_ms := ${o.slaMs})`,
    keys: ['region'],
    values: ['alerts', 'withT1', 'meanT1ToT2Ms', 'medianT1ToT2Ms', 'pctWithinTargetFromT1', 'pctWithinTargetFromT2', 'medianFromT1Ms', 'medianFromT2Ms'],
  },
  {
    id: 'caveat_hop_quality',
    title: 'Records with a negative or implausible hop time (drifted hub clocks), by region',
    source: 'seed 001, 4.2, MP122B-DC1 (WAN-side hub time); seed 000, CR1418 [A] timing points',
    call: (src, o) => `caveat_hop_quality(${lit(src)}, a1_start := ${lit(o.a1Start)})`,
    keys: ['region'],
    values: [
      'alerts',
      'flagged',
      'negativeHubToCsp',
      'negativeCspToDsp',
      'negativeDspToServiceUser',
      'negativeServiceUserHandshake',
      'negativeEndToEnd',
      'implausible',
      'minHubToCspMs',
      'minEndToEndMs',
      'pctFlagged',
    ],
  },
];

export interface CaveatDef {
  id: string;
  title: string;
  source: string;
  call: string;
}

/** Figures computed once, from the feeds (Install and Leave), or from the feeds scored against the truth (traffic-based detection). */
export const OUTAGE_FIGURES: readonly CaveatDef[] = [
  {
    id: 'install_and_leave',
    title: 'Install and Commission versus Install and Leave, by day (IC1 indicator)',
    source: 'seed 004, 2.4.1 IC1; seed 000, CR1429',
    call: 'install_and_leave()',
  },
  {
    id: 'traffic_detection',
    title: 'Outages detected from a lack of traffic, against the true outages, by region',
    source: 'seed 004, 3.2.3 (a lack of activity across parts of the network)',
    call: 'traffic_detection()',
  },
];

export const ALERT_CAVEATS: readonly CaveatDef[] = [
  {
    id: 'caveat_csp_received',
    title: 'cspReceivedTimestamp minus the true arrival at the CSP (CSP North stamps departure)',
    source: 'seed 001, 4.2, MP122-DC2',
    call: 'caveat_csp_received()',
  },
  {
    id: 'caveat_hub_time',
    title: 'chfReceivedTimestamp minus the true HAN-side receipt (CSP North: WAN-side HubTimestamp)',
    source: 'seed 001, 4.2, MP122B-DC1',
    call: 'caveat_hub_time()',
  },
];

export interface MetricResult {
  id: string;
  title: string;
  source: string;
  keys: string[];
  values: string[];
  rows: PairedRow[];
}

export interface CaveatResult {
  id: string;
  title: string;
  source: string;
  rows: Row[];
}

/** Rounds to 3 decimals so that figures print the same whatever the summation order. */
function plain(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v * 1000) / 1000;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  const r = await conn.runAndReadAll(sql);
  return (r.getRowObjectsJS() as Record<string, unknown>[]).map((o) => {
    const out: Row = {};
    for (const k of Object.keys(o)) out[k] = plain(o[k]);
    return out;
  });
}

/** Defines the macros and views of every SQL file. */
export async function defineMetrics(conn: DuckDBConnection): Promise<void> {
  const dir = sqlDir();
  await defineRequestCatalogue(conn);
  for (const f of SQL_FILES) await conn.run(fs.readFileSync(dir + f, 'utf8'));
}

function pick(r: Row, cols: string[]): Row {
  const o: Row = {};
  for (const c of cols) o[c] = r[c] ?? null;
  return o;
}

/**
 * Computes one metric from both sources into table metric_<id> (a `source`
 * column: 'feed' or 'truth') and pairs the rows by key, in the feed's order
 * (truth-only keys after).
 */
export async function computeMetric(conn: DuckDBConnection, m: MetricDef, o: MetricOptions): Promise<MetricResult> {
  const [feedSrc, truthSrc] = m.sources ?? ['ast_alerts', 'truth_alerts'];
  await conn.run(
    `CREATE OR REPLACE TABLE metric_${m.id} AS
     SELECT 'feed' AS source, * FROM ${m.call(feedSrc, o)}
     UNION ALL BY NAME
     SELECT 'truth' AS source, * FROM ${m.call(truthSrc, o)}`,
  );
  const all = await rows(conn, `SELECT * FROM metric_${m.id} ORDER BY rowid`);
  const keyOf = (r: Row): string => JSON.stringify(m.keys.map((k) => r[k]));
  const truth = new Map<string, Row>();
  for (const r of all) if (r.source === 'truth') truth.set(keyOf(r), r);
  const out: PairedRow[] = [];
  const seen = new Set<string>();
  const pair = (f: Row | null, t: Row | null): PairedRow => {
    const feed = f && pick(f, m.values);
    const tru = t && pick(t, m.values);
    let diff: Row | null = null;
    if (feed && tru) {
      diff = {};
      for (const v of m.values) {
        const a = feed[v];
        const b = tru[v];
        diff[v] = typeof a === 'number' && typeof b === 'number' ? Math.round((a - b) * 1000) / 1000 : null;
      }
    }
    return { key: pick((f ?? t)!, m.keys), feed, truth: tru, diff };
  };
  for (const r of all) {
    if (r.source !== 'feed') continue;
    const k = keyOf(r);
    seen.add(k);
    out.push(pair(r, truth.get(k) ?? null));
  }
  for (const r of all) if (r.source === 'truth' && !seen.has(keyOf(r))) out.push(pair(null, r));
  return { id: m.id, title: m.title, source: m.source, keys: m.keys, values: m.values, rows: out };
}

export async function computeCaveat(conn: DuckDBConnection, c: CaveatDef): Promise<CaveatResult> {
  await conn.run(`CREATE OR REPLACE TABLE metric_${c.id} AS SELECT * FROM ${c.call}`);
  return { id: c.id, title: c.title, source: c.source, rows: await rows(conn, `SELECT * FROM metric_${c.id} ORDER BY rowid`) };
}

export interface Computed {
  metrics: MetricResult[];
  caveats: CaveatResult[];
  quality: MetricResult[];
}

/** Defines the metrics and computes every one of them (alerts, then Service Requests), the caveats and the data-quality figures. */
export async function computeAll(conn: DuckDBConnection, o: MetricOptions): Promise<Computed> {
  await definePeriod(conn, o.window ?? null);
  await defineMetrics(conn);
  const out: Computed = { metrics: [], caveats: [], quality: [] };
  for (const m of [...ALERT_METRICS, ...REQUEST_METRICS, ...AVAILABILITY_METRICS, ...INCIDENT_METRICS, ...FIRMWARE_METRICS]) out.metrics.push(await computeMetric(conn, m, o));
  for (const c of [...ALERT_CAVEATS, ...OUTAGE_FIGURES]) out.caveats.push(await computeCaveat(conn, c));
  for (const q of ALERT_QUALITY) out.quality.push(await computeMetric(conn, q, o));
  return out;
}
