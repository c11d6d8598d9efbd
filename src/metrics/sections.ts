/**
 * The report's sections, shared by report.md and report.html: for each, its
 * notes, tables and charts, built from the computed figures. Every cell that
 * has a truth beside it shows it. The Service Requests section is in
 * report-requests.ts.
 */
import type { A1Start, CaveatResult, MetricResult, PairedRow, Row, Value } from './compute.js';
import type { LoadResult } from './load.js';
import { firmwareSection } from './report-firmware.js';
import { barChart, lineChart } from './charts.js';
import { REGION_LABELS } from '../dcc/regions.js';
import { processesRsvpSection, requestsSection } from './report-requests.js';
import { processSections } from './report-processes.js';
import { availabilitySection, cpm5Section, installAndLeaveSection } from './report-availability.js';

/** The PMR's region columns, in its order. */
export const REGIONS = REGION_LABELS;

/** The colour of each region's line in the daily graphs. */
export const REGION_COLORS: Record<string, string> = { North: '#1f77b4', Central: '#2ca02c', South: '#ff7f0e', SMETS1: '#9467bd', All: '#333333' };

export interface ReportData {
  /** The run directory as it was given (never made absolute). */
  run: { dir: string; scenario: string | null; seed: number | null; verified?: boolean };
  slaMs: number;
  a1Start: A1Start;
  load: LoadResult;
  metrics: MetricResult[];
  caveats: CaveatResult[];
  /** Data-quality caveats, feed and truth side by side. */
  quality: MetricResult[];
}

interface Table {
  headers: string[];
  rows: string[][];
}

export interface Section {
  title: string;
  notes: string[];
  tables: { caption?: string; table: Table }[];
  charts: string[];
}

export function num(v: Value | undefined, decimals = 0): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  return v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export const pct = (v: Value | undefined): string => (v === null || v === undefined ? '–' : num(v, 2) + '%');
const signed = (v: Value | undefined, d = 0): string => (typeof v === 'number' && v > 0 ? '+' : '') + num(v, d);

export function metric(data: ReportData, id: string): MetricResult {
  const m = data.metrics.find((x) => x.id === id) ?? data.quality.find((x) => x.id === id);
  if (m === undefined) throw new Error(`metric ${id} was not computed`);
  return m;
}

export function find(m: MetricResult, key: Row): PairedRow | undefined {
  return m.rows.find((r) => Object.entries(key).every(([k, v]) => r.key[k] === v));
}

/** "feed (truth)" in one cell. */
export function both(r: PairedRow | undefined, field: string, fmt: (v: Value | undefined) => string): string {
  if (r === undefined) return '–';
  const f = fmt(r.feed?.[field]);
  return r.truth ? `${f} (${fmt(r.truth[field])})` : f;
}

const hhmm = (iso: Value): string => String(iso).slice(11, 16);
const day = (iso: Value): string => String(iso).slice(0, 10);

function loadSection(data: ReportData): Section {
  const l = data.load;
  const rows = l.tables.map((t) => [t.table, t.file === null ? '(no file)' : t.file, num(t.records), num(t.badRecords)]);
  const notes = [
    ...(data.run.verified === false ? ['Not verified: these feeds were not checked against a manifest.json (--no-verify), so nothing shows that they are one whole run.'] : []),
    `${num(l.records)} records read, ${num(l.badRecords)} bad record${l.badRecords === 1 ? '' : 's'} skipped.`,
    l.window === null ? 'No manifest.json: times were not checked against the run.' : `Times checked against the run: ${l.window.from} to ${l.window.to} (epoch to end plus drain).`,
  ];
  const tables: Section['tables'] = [{ table: { headers: ['table', 'file', 'records', 'bad'], rows } }];
  if (l.bad.length > 0) {
    tables.push({
      caption: 'Bad records (first ones of each file)',
      table: { headers: ['file', 'line', 'field', 'problem'], rows: l.bad.map((b) => [b.file, String(b.line), b.field, b.problem]) },
    });
  }
  return { title: 'Feeds loaded', notes, tables, charts: [] };
}

function a1Section(data: ReportData): Section {
  const m = metric(data, 'a1_measure');
  const s = data.slaMs / 1000;
  const headers = ['region', 'A1 % within target', 'truth', 'diff', 'alerts', 'within', 'missed', 'failed', 'throttled', 'rejected (excluded)'];
  const rows = m.rows.map((r) => [
    String(r.key.region),
    pct(r.feed?.pctWithinTarget),
    pct(r.truth?.pctWithinTarget),
    signed(r.diff?.pctWithinTarget, 2),
    num(r.feed?.alerts),
    num(r.feed?.withinTarget),
    num(r.feed?.missed),
    num(r.feed?.failed),
    num(r.feed?.throttled),
    num(r.feed?.rejected),
  ]);
  const ind = metric(data, 'a1_indicator');
  const missed = ind.rows.filter((r) => (r.feed?.missed ?? 0) !== 0 || (r.truth?.missed ?? 0) !== 0);
  const indRows = missed.map((r) => [
    String(r.key.alertCode),
    num(r.feed?.alerts),
    num(r.feed?.missed),
    num(r.truth?.missed),
    num(r.feed?.late),
    num(r.feed?.failed),
    pct(r.feed?.pctMissed),
  ]);
  const ad1Start =
    data.a1Start === 'power-loss'
      ? 'the power loss (chfReceivedTimestamp), as asked for comparison; the default is when the CSP raises it (cspPassedTimestamp)'
      : 'when the CSP raises it (cspPassedTimestamp); power loss to delivery is in its own table below';
  const daily = metric(data, 'a1_daily');
  const days = [...new Set(daily.rows.map((r) => day(r.key.day)))];
  const series = [...REGIONS, 'All']
    .filter((reg) => daily.rows.some((r) => r.key.region === reg))
    .map((reg) => ({
      name: reg,
      color: REGION_COLORS[reg],
      values: days.map((d) => {
        const r = daily.rows.find((x) => x.key.region === reg && day(x.key.day) === d);
        return typeof r?.feed?.pctWithinTarget === 'number' ? r.feed.pctWithinTarget : null;
      }),
    }));
  return {
    title: 'A1: alerts delivered within the target',
    notes: [
      `Seed 004, 2.4.7, A1 (Measure). Within target: delivered, and the User's handshake no more than ${num(s, 3)} s after the alert's start point; ${num(s, 3)} s exactly is within. Start points (docs/metrics.md): AD1, raised by a CSP: ${ad1Start}; SMETS1: T1 from the S1SP audit trail, else T2; every other alert: chfReceivedTimestamp, else cspReceivedTimestamp, else dspReceivedTimestamp. Throttled alerts are included; failed alerts count as missed; rejected alerts are excluded and counted apart.`,
      'Truth: the same definition over the ground-truth journeys. Diff: feed minus truth.',
    ],
    tables: [
      { table: { headers, rows } },
      {
        caption: 'Indicator: alert codes that missed the target (feed; truth in its own column)',
        table: { headers: ['alert code', 'alerts', 'missed', 'missed (truth)', 'late', 'failed', '% missed'], rows: indRows.length ? indRows : [['(none)', '', '', '', '', '', '']] },
      },
      regionTable(data, 'ad1_power_loss'),
    ],
    charts: [lineChart('A1: % of alerts within target, by day (feeds)', '% within target', days, series)],
  };
}

type Column = [header: string, field: string, fmt: (v: Value | undefined) => string];

const ms = (v: Value | undefined): string => num(v);

/** The figures keyed by region that are shown as one table each: caption, columns, and the row shown when there is none. */
const REGION_TABLES: Record<string, { caption: string; columns: Column[]; none?: string }> = {
  ad1_power_loss: {
    caption: 'AD1: power loss to delivery (the power loss is the hub’s stamp in the AD1 record; each cell feed (truth), ms)',
    columns: [
      ['AD1 alerts', 'alerts', ms], ['delivered', 'delivered', ms], ['mean', 'meanMs', ms], ['median', 'medianMs', ms], ['p95', 'p95Ms', ms], ['max', 'maxMs', ms],
      ['median power loss → raised', 'medianConfirmationMs', ms], ['median raised → handshake (A1’s clock)', 'medianFromRaisedMs', ms],
    ],
    none: '(no AD1)',
  },
  caveat_smets1_start: {
    caption: 'SMETS1: A1 from T1 (alert condition, from the S1SP audit trail: what A1 reports) and from T2 (the AST record alone); each cell feed (truth)',
    columns: [
      ['alerts', 'alerts', ms], ['with T1', 'withT1', ms], ['mean T2 − T1 ms', 'meanT1ToT2Ms', (v) => num(v, 1)],
      ['A1 % from T1', 'pctWithinTargetFromT1', pct], ['A1 % from T2', 'pctWithinTargetFromT2', pct],
      ['median from T1 ms', 'medianFromT1Ms', ms], ['median from T2 ms', 'medianFromT2Ms', ms],
    ],
    none: '(no SMETS1 alerts)',
  },
  caveat_hop_quality: {
    caption: 'Data quality: records with a negative hop (drifted hub clocks) or one longer than a day, kept in every figure; each cell feed (truth)',
    columns: [
      ['records', 'alerts', ms], ['flagged', 'flagged', ms], ['% flagged', 'pctFlagged', pct],
      ['negative hubToCsp', 'negativeHubToCsp', ms], ['cspToDsp', 'negativeCspToDsp', ms], ['dspToServiceUser', 'negativeDspToServiceUser', ms],
      ['handshake', 'negativeServiceUserHandshake', ms], ['endToEnd', 'negativeEndToEnd', ms], ['longer than a day', 'implausible', ms],
      ['min hubToCsp ms', 'minHubToCspMs', ms], ['min endToEnd ms', 'minEndToEndMs', ms],
    ],
  },
};

/** A figure of REGION_TABLES as its table, each cell feed (truth). */
function regionTable(data: ReportData, id: keyof typeof REGION_TABLES): Section['tables'][number] {
  const { caption, columns, none } = REGION_TABLES[id];
  const rows = metric(data, id).rows.map((r) => [String(r.key.region), ...columns.map(([, field, fmt]) => both(r, field, fmt))]);
  if (rows.length === 0 && none !== undefined) rows.push([none, ...columns.map(() => '')]);
  return { caption, table: { headers: ['region', ...columns.map(([header]) => header)], rows } };
}

/**
 * One seed 004 Table 2 (2.3.1) over the rows of `m` that match `key`: speed
 * in `time.unit` (rows named with `labels.speed`, e.g. RTT), within target, volumes and failed share per region, each
 * cell feed (truth); `extra` rows follow.
 */
export function rsvpTable(
  m: MetricResult,
  key: Row,
  regions: readonly string[],
  time: { unit: string; fmt: (v: Value | undefined) => string },
  labels: { speed?: string; within: string; failed: string },
  extra: ReadonlyArray<readonly [string, string, (v: Value | undefined) => string]> = [],
): Table {
  const cell = (reg: string, field: string, fmt: (v: Value | undefined) => string): string => both(find(m, { ...key, region: reg }), field, fmt);
  const range = (reg: string): string => {
    const r = find(m, { ...key, region: reg });
    if (r === undefined) return '–';
    const f = `(${time.fmt(r.feed?.shortestMs)})(${time.fmt(r.feed?.longestMs)})`;
    return r.truth ? `${f} [truth (${time.fmt(r.truth.shortestMs)})(${time.fmt(r.truth.longestMs)})]` : f;
  };
  const speed = (what: string): string => [what, labels.speed, `(${time.unit})`].filter(Boolean).join(' ');
  return {
    headers: ['Monthly Performance Measure', ...regions],
    rows: [
      [speed('Average'), ...regions.map((r) => cell(r, 'averageMs', time.fmt))],
      [speed('Median'), ...regions.map((r) => cell(r, 'medianMs', time.fmt))],
      [`Range (Shortest)(Longest) (${time.unit})`, ...regions.map(range)],
      [labels.within, ...regions.map((r) => cell(r, 'pctWithinTarget', pct))],
      ['Volumes', ...regions.map((r) => cell(r, 'volume', num))],
      [labels.failed, ...regions.map((r) => cell(r, 'pctFailed', pct))],
      ...extra.map(([label, field, fmt]) => [label, ...regions.map((r) => cell(r, field, fmt))]),
    ],
  };
}

function rsvpSection(data: ReportData): Section {
  const m = metric(data, 'rsvp_alerts');
  const processes = [...new Set(m.rows.map((r) => String(r.key.process)))];
  const tables = processes.map((p) => ({
    caption: p,
    table: rsvpTable(m, { process: p }, REGIONS, { unit: 'ms', fmt: ms }, {
      within: 'Percentage of alerts delivered within the target',
      failed: 'Percentage of alerts that failed to be delivered',
    }),
  }));
  return {
    title: 'RSVP: alerts',
    notes: [
      'Shaped as seed 004, 2.3.1, Table 2. Each cell: feed (truth). Speed is the end-to-end time of delivered alerts on the A1 clock; volume is the alerts for a User (rejected ones excluded); failed: moved to the failed queue. Alerts Management is AD1, 8F35, 8F36 (seed 004, Figure 1).',
    ],
    tables,
    charts: [],
  };
}

const HOPS = ['hubToCsp', 'cspToDsp', 'dspToServiceUser', 'serviceUserHandshake', 'endToEnd'];

function hopSection(data: ReportData): Section {
  const m = metric(data, 'hop_latency_daily');
  const rows: string[][] = [];
  const days = [...new Set(m.rows.map((r) => String(r.key.periodStart)))];
  for (const d of days) {
    for (const reg of [...REGIONS, 'All']) {
      for (const hop of HOPS) {
        const r = find(m, { periodStart: d, region: reg, alertCode: 'All', hop });
        if (r === undefined) continue;
        rows.push([
          day(d),
          reg,
          hop,
          num(r.feed?.alerts),
          both(r, 'meanMs', (v) => num(v, 1)),
          both(r, 'medianMs', (v) => num(v, 1)),
          both(r, 'p95Ms', (v) => num(v, 1)),
          both(r, 'p99Ms', (v) => num(v, 1)),
          both(r, 'minMs', (v) => num(v)),
          both(r, 'maxMs', (v) => num(v)),
        ]);
      }
    }
  }
  return {
    title: 'Alert hop latencies by day',
    notes: [
      'All alert codes; by alert code and per 15-minute window in metrics.json and in the database (table metric_hop_latency_daily, metric_hop_latency_15min). Each cell: feed (truth), milliseconds. The hubToCsp hop in CSP North runs from the WAN-side HubTimestamp to CSP North’s departure stamp.',
    ],
    tables: [{ table: { headers: ['day', 'region', 'hop', 'alerts', 'mean', 'median', 'p95', 'p99', 'min', 'max'], rows } }],
    charts: [],
  };
}

function caveatSection(data: ReportData): Section {
  const csp = data.caveats.find((c) => c.id === 'caveat_csp_received')!;
  const hub = data.caveats.find((c) => c.id === 'caveat_hub_time')!;
  const mvm = metric(data, 'mean_vs_median');
  const labels = mvm.rows.map((r) => hhmm(r.key.windowStart));
  const val = (r: PairedRow, side: 'feed' | 'truth', f: string): number | null => {
    const v = r[side]?.[f];
    return typeof v === 'number' ? v : null;
  };
  let worst: PairedRow | undefined;
  for (const r of mvm.rows) {
    const g = val(r, 'feed', 'meanMinusMedianMs');
    if (g !== null && (worst === undefined || g > (val(worst, 'feed', 'meanMinusMedianMs') ?? -Infinity))) worst = r;
  }
  const notes = [
    'The feeds’ known blind spots, measured against the ground truth (seed 001, 4.2, MP122B-DC1 and MP122-DC2; seed 004, 2.3.1; seed 000, CR1438).',
  ];
  if (worst) {
    notes.push(
      `Mean versus median: in the window starting ${String(worst.key.windowStart)} the mean end-to-end time is ${num(worst.feed?.meanMs, 1)} ms and the median ${num(worst.feed?.medianMs, 1)} ms (mean ${signed(worst.feed?.meanMinusMedianMs, 1)} ms above the median; truth: ${num(worst.truth?.meanMs, 1)} and ${num(worst.truth?.medianMs, 1)} ms).`,
    );
  }
  return {
    title: 'Measurement caveats as numbers',
    notes,
    tables: [
      {
        caption: 'cspReceivedTimestamp minus the true arrival at the CSP (CSP North stamps departure, about 350 ms later)',
        table: {
          headers: ['region', 'alert type', 'alerts', 'mean ms', 'median ms', 'min ms', 'max ms'],
          rows: csp.rows.map((r) => [String(r.region), String(r.alertType), num(r.alerts), num(r.meanOffsetMs, 1), num(r.medianOffsetMs, 1), num(r.minOffsetMs), num(r.maxOffsetMs)]),
        },
      },
      {
        caption: 'chfReceivedTimestamp minus the true HAN-side receipt at the CHF (CSP North: WAN-side HubTimestamp)',
        table: {
          headers: ['region', 'alerts', 'with hub time', 'without', 'mean ms', 'p99 ms', 'max ms', '% within 1 ms'],
          rows: hub.rows.map((r) => [String(r.region), num(r.alerts), num(r.withHubTime), num(r.withoutHubTime), num(r.meanOffsetMs, 1), num(r.p99OffsetMs, 1), num(r.maxOffsetMs), pct(r.pctIdentical)]),
        },
      },
      regionTable(data, 'caveat_smets1_start'),
      regionTable(data, 'caveat_hop_quality'),
      {
        caption: 'End-to-end mean and median per 15-minute window (feed, truth)',
        table: {
          headers: ['window', 'alerts', 'mean', 'median', 'mean − median', 'p95', 'max', 'truth mean', 'truth median'],
          rows: mvm.rows.map((r) => [
            String(r.key.windowStart),
            num(r.feed?.alerts),
            num(r.feed?.meanMs, 1),
            num(r.feed?.medianMs, 1),
            num(r.feed?.meanMinusMedianMs, 1),
            num(r.feed?.p95Ms, 1),
            num(r.feed?.maxMs),
            num(r.truth?.meanMs, 1),
            num(r.truth?.medianMs, 1),
          ]),
        },
      },
    ],
    charts: [
      barChart('Alerts per 15-minute window (received by the DSP, with a handshake)', 'alerts', labels, {
        name: 'alerts',
        color: '#1f77b4',
        values: mvm.rows.map((r) => val(r, 'feed', 'alerts')),
      }),
      lineChart('End-to-end time per 15-minute window: mean versus median', 'ms', labels, [
        { name: 'mean (feed)', color: '#d62728', values: mvm.rows.map((r) => val(r, 'feed', 'meanMs')) },
        { name: 'median (feed)', color: '#1f77b4', values: mvm.rows.map((r) => val(r, 'feed', 'medianMs')) },
        { name: 'mean (truth)', color: '#d62728', dashed: true, values: mvm.rows.map((r) => val(r, 'truth', 'meanMs')) },
        { name: 'median (truth)', color: '#1f77b4', dashed: true, values: mvm.rows.map((r) => val(r, 'truth', 'medianMs')) },
      ]),
    ],
  };
}

export function sections(data: ReportData): Section[] {
  return [
    loadSection(data), a1Section(data), rsvpSection(data), processesRsvpSection(data), requestsSection(data), ...processSections(data), firmwareSection(data),
    availabilitySection(data), cpm5Section(data), installAndLeaveSection(data), hopSection(data), caveatSection(data),
  ];
}

