/**
 * The report's sections on Service Requests' RSVP: seed 004 Table 2 (2.3.1)
 * per business process (Table 1's names) and per SRV, monthly, each cell feed
 * (truth), with the excluded requests in rows of their own by reason (seed
 * 003 section 4); the daily figures as line graphs per process ("plotted
 * using a line graph representation with daily data points", 2.3.2) and as a
 * table per SRV. Apart from sections.ts so that each family of figures
 * renders in its own module; the outcome measures are in report-processes.ts.
 */
import type { MetricResult, PairedRow, Value } from './compute.js';
import { lineChart } from './charts.js';
import { REGION_LABELS } from '../dcc/regions.js';
import { REGION_COLORS, both, metric, num, pct, rsvpTable, type ReportData, type Section } from './sections.js';

const ALL_REGIONS = [...REGION_LABELS, 'All'];

/** Milliseconds shown in seconds, as Table 2 gives RTT. */
export const seconds = (v: Value | undefined): string => (typeof v === 'number' ? num(v / 1000, 1) : num(v));

/** The distinct values of `key` in the metric's rows, in their order. */
export const keysOf = (m: MetricResult, key: string): string[] => [...new Set(m.rows.map((r) => String(r.key[key])))];

const EXCLUDED: ReadonlyArray<readonly [string, string, (v: Value | undefined) => string]> = [
  ['Excluded: valid failures (authentication, User error: E1, E3)', 'excludedValidFailure', num],
  ['Excluded: sent without waiting for the previous step’s success', 'excludedNotWaited', num],
];

const LABELS = {
  speed: 'RTT',
  within: 'Percentage of Service Responses delivered within the Target Response Time',
  failed: 'Percentage of Service Requests that failed to be delivered',
};

/** One Table 2 per month and group (`by`: srv or process) of a monthly RSVP metric. */
function monthlyTables(m: MetricResult, by: 'srv' | 'process', caption: (name: string) => string): Section['tables'] {
  const months = keysOf(m, 'month');
  return months.flatMap((month) =>
    [...new Set(m.rows.filter((r) => r.key.month === month).map((r) => String(r.key[by])))].map((name) => ({
      caption: `${caption(name)}${months.length > 1 ? `, ${month}` : ''}`,
      table: rsvpTable(m, { month, [by]: name }, ALL_REGIONS, { unit: 's', fmt: seconds }, LABELS, EXCLUDED),
    })),
  );
}

const NOTE =
  'Each cell: feed (truth). RTT from receipt of the request from the User (future-dated and scheduled: from the execution time) to the response sent to the User, in seconds. Failed: E201 or E212, or a failure alert N12/N13 after the response (and, in the truth only, requests lost before the DSP). Excluded (seed 003, 4, the DCC Exclusion List): valid failures and requests sent without waiting for the previous step’s success, left out of every other figure and counted in their own rows.';

/**
 * A line graph of `field` by day, one line per region present (and All),
 * from the rows of a daily metric (keyed by `day` and `region`) that `keep`
 * selects; feed figures.
 */
export function dailyRegionChart(m: MetricResult, keep: (r: PairedRow) => boolean, field: string, title: string, yLabel: string): string {
  const rows = m.rows.filter(keep);
  const days = [...new Set(rows.map((r) => String(r.key.day)))];
  const regions = ALL_REGIONS.filter((reg) => rows.some((r) => r.key.region === reg));
  return lineChart(title, yLabel, days, regions.map((reg) => ({
    name: reg,
    color: REGION_COLORS[reg],
    values: days.map((d) => {
      const v = rows.find((r) => r.key.day === d && r.key.region === reg)?.feed?.[field];
      return typeof v === 'number' ? v : null;
    }),
  })));
}

/** RSVP per business process: Table 2 monthly, and % within the TRT by day as a line graph per process. */
export function processesRsvpSection(data: ReportData): Section {
  const m = metric(data, 'rsvp_processes');
  const daily = metric(data, 'rsvp_processes_daily');
  const charts = keysOf(daily, 'process').map((p) =>
    dailyRegionChart(daily, (r) => r.key.process === p, 'pctWithinTarget', `${p}: % of Service Responses within the TRT, by day (feeds)`, '% within TRT'),
  );
  const tables = monthlyTables(m, 'process', (p) => p);
  return {
    title: 'RSVP: business processes',
    notes: [
      `Shaped as seed 004, 2.3.1, Table 2, one table per business process of 2.3.2 Table 1 (each request belongs to the process instance the DSP service audit trail names). ${NOTE} The daily figures are in metrics.json (rsvp_processes_daily).`,
      ...(tables.length === 0 ? ['No Service Requests in this run.'] : []),
    ],
    tables,
    charts,
  };
}

/** RSVP per SRV: Table 2 monthly, and a daily table over all regions. */
export function requestsSection(data: ReportData): Section {
  const m = metric(data, 'rsvp_requests');
  const daily = metric(data, 'rsvp_requests_daily');
  const tables = monthlyTables(m, 'srv', (srv) => `SRV ${srv}`);
  const rows = daily.rows
    .filter((r) => r.key.region === 'All')
    .map((r) => [
      String(r.key.day),
      String(r.key.srv),
      both(r, 'volume', num),
      both(r, 'averageMs', seconds),
      both(r, 'medianMs', seconds),
      both(r, 'pctWithinTarget', pct),
      both(r, 'pctFailed', pct),
      both(r, 'excluded', num),
    ]);
  if (rows.length > 0) {
    tables.push({
      caption: 'Daily, all regions (by region in metrics.json, rsvp_requests_daily)',
      table: { headers: ['day', 'SRV', 'volume', 'average RTT (s)', 'median RTT (s)', '% within TRT', '% failed', 'excluded'], rows },
    });
  }
  return {
    title: 'RSVP: Service Requests',
    notes: [`Shaped as seed 004, 2.3.1, Table 2, one table per SRV. ${NOTE}`, ...(tables.length === 0 ? ['No Service Requests in this run.'] : [])],
    tables,
    charts: [],
  };
}
