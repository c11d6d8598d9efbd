/**
 * The report's sections on the DCC Services: Service Availability (monthly,
 * daily as a line graph, by region, by time of day) with reliability
 * (MTTR, MTBF, incidents by category), CPM5 for incident categories 3 to 5,
 * Install and Commission versus Install and Leave, and the traffic-based
 * outage detection of seed 004 section 3.2.3 against the true outages. Each
 * cell of a paired figure: feed (truth). Apart from sections.ts so that each
 * family of figures renders in its own module.
 */
import { DCC_SERVICES } from '../dcc/services.js';
import { lineChart } from './charts.js';
import type { CaveatResult, MetricResult, PairedRow, Row, Value } from './compute.js';
import { both, metric, num, pct, type ReportData, type Section } from './sections.js';

type Column = [header: string, field: string, fmt: (v: Value | undefined) => string];

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const min = (v: Value | undefined): string => num(v, 1);
const hours = (v: Value | undefined): string => num(v, 2);
const pct3 = (v: Value | undefined): string => (v === null || v === undefined ? '–' : num(v, 3) + '%');

function pairedTable(m: MetricResult, keyCols: Array<[string, string]>, cols: Column[], filter: (r: PairedRow) => boolean = () => true) {
  return {
    headers: [...keyCols.map(([h]) => h), ...cols.map(([h]) => h)],
    rows: m.rows.filter(filter).map((r) => [...keyCols.map(([, k]) => String(r.key[k])), ...cols.map(([, f, fmt]) => both(r, f, fmt))]),
  };
}

function plainTable(c: CaveatResult, cols: Array<[string, string, (v: Value | undefined) => string]>) {
  return { headers: cols.map(([h]) => h), rows: c.rows.map((r: Row) => cols.map(([, f, fmt]) => fmt(r[f]))) };
}

function figure(data: ReportData, id: string): CaveatResult {
  const c = data.caveats.find((x) => x.id === id);
  if (c === undefined) throw new Error(`figure ${id} was not computed`);
  return c;
}

export function availabilitySection(data: ReportData): Section {
  const monthly = metric(data, 'availability_monthly');
  const daily = metric(data, 'availability_daily');
  const tod = metric(data, 'availability_time_of_day');
  const national = (r: PairedRow) => r.key.region === 'All';
  const days = [...new Set(daily.rows.map((r) => String(r.key.day)))];
  const series = DCC_SERVICES.map((service, i) => ({
    name: service,
    color: COLORS[i % COLORS.length],
    values: days.map((d) => {
      const v = daily.rows.find((r) => r.key.day === d && r.key.service === service && r.key.region === 'All')?.feed?.availabilityPct;
      return typeof v === 'number' ? v : null;
    }),
  }));
  return {
    title: 'Service Availability and reliability of the DCC Services',
    notes: [
      'Seed 004, Requirement 3: Service Availability = (Uptime − Unplanned Downtime) / Uptime, Uptime = the period − Planned Maintenance; a service is down while any sub-system supporting it is. Each cell: from the availability events as logged (truth: the outages as they happened, outage-truth.jsonl). An outage is logged when it is detected, so the logged downtime is shorter. Hours are truncated to hundredths (235 minutes = 3.91 hours). MTTR = unplanned downtime / failures; MTBF = operating hours (Uptime − Unplanned Downtime) / failures. "All" counts national outages; a region also its own (a CSP WAN, the S1SPs). Days and bands are UTC.',
    ],
    tables: [
      {
        caption: 'Monthly, per service (national)',
        table: pairedTable(monthly, [['Month', 'month'], ['Service', 'service']], [
          ['Availability', 'availabilityPct', pct3],
          ['Unplanned downtime (min)', 'unplannedDowntimeMinutes', min],
          ['Unplanned downtime (h)', 'unplannedDowntimeHours', hours],
          ['Planned maintenance (min)', 'plannedMaintenanceMinutes', min],
          ['Failures', 'failures', num],
          ['MTTR (h)', 'mttrHours', hours],
          ['MTBF (h)', 'mtbfHours', (v) => num(v, 1)],
        ], national),
      },
      {
        caption: 'By CSP region, where relevant',
        table: pairedTable(monthly, [['Month', 'month'], ['Service', 'service'], ['Region', 'region']], [
          ['Availability', 'availabilityPct', pct3],
          ['Unplanned downtime (min)', 'unplannedDowntimeMinutes', min],
          ['Failures', 'failures', num],
        ], (r) => !national(r)),
      },
      {
        caption: 'By time of day (national)',
        table: pairedTable(tod, [['Service', 'service'], ['Band', 'band']], [
          ['Availability', 'availabilityPct', pct3],
          ['Uptime (min)', 'uptimeMinutes', min],
          ['Unplanned downtime (min)', 'unplannedDowntimeMinutes', min],
        ], national),
      },
      incidentsByCategory(data),
    ],
    charts: [lineChart('Service Availability by day (logged events, national)', '% available', days.map((d) => d.slice(5)), series)],
  };
}

function incidentsByCategory(data: ReportData) {
  return {
    caption: 'Reliability: incidents by category (categories 1 and 2 are the major incidents)',
    table: pairedTable(metric(data, 'incidents_by_category'), [['Category', 'category']], [
      ['Raised in period', 'raised', num],
      ['Closed in period', 'closed', num],
      ['Open at the end', 'openAtEnd', num],
      ['Mean resolution of those closed (h)', 'meanResolutionHours', hours],
    ]),
  };
}

export function cpm5Section(data: ReportData): Section {
  const m = metric(data, 'cpm5');
  const cols: Column[] = [
    ['Open at end', 'openAtEnd', num],
    ['Closed', 'closed', num],
    ['Closed, met initial response', 'closedMetInitialResponse', num],
    ['Closed, met resolution', 'closedMetResolution', num],
    ['% closed met resolution', 'pctClosedMetResolution', pct],
    ['Median resolution (h)', 'medianResolutionHours', hours],
    ['Raised', 'raised', num],
    ['Raised, met initial response', 'raisedMetInitialResponse', num],
    ['Raised, met resolution', 'raisedMetResolution', num],
    ['% raised met resolution', 'pctRaisedMetResolution', pct],
  ];
  const keys: Array<[string, string]> = [['Category', 'category'], ['Resolver group', 'resolverGroup'], ['SMETS', 'smets']];
  return {
    title: 'CPM5: incident categories 3, 4 and 5',
    notes: [
      'Seed 004, Requirement 5 and 3.2.5; seed 000, CR1420. Counted by closure in the period, as the DCC reports (every incident is reported once, when it closes); beside it the incidents raised in the period, which a report by opening would show (one not yet resolved has not met its target). Each cell: Remedy as known at the end of the period (truth: every incident with the stamps it got later, incident-truth.jsonl).',
      ...(m.rows.length === 0 ? ['No incidents of categories 3 to 5 in this run.'] : []),
    ],
    tables: [
      { caption: 'By resolver group and SMETS generation (All: every group or generation)', table: pairedTable(m, keys, cols) },
    ],
    charts: [],
  };
}

export function installAndLeaveSection(data: ReportData): Section {
  const il = figure(data, 'install_and_leave');
  const det = figure(data, 'traffic_detection');
  return {
    title: 'Install and Leave; outages detected from a lack of traffic',
    notes: [
      'Install and Commission (8.14.1) versus Install and Leave (8.14.2) per day, from the DSP service audit trail, each 8.14.2 matched by the hub\'s GUID to the CSP\'s No-SMWAN incident (seed 000, CR1429): within the 90-day window (awaiting a decision), SMWAN established, no SMWAN confirmed, or no CSP incident yet. Feeds only.',
      'Seed 004, 3.2.3: an alarm when a region\'s alerts and Service Responses at the DSP fall silent for a 15-minute bin in which at least 5 are expected (the mean of that time of day over the period), scored against the true outages that stop the User Interface\'s traffic (outage-truth.jsonl): detection delay (alarm raised − true start), missed outages, false alarms; beside it the delay of the logged availability events.',
    ],
    tables: [
      {
        caption: 'Install and Commission versus Install and Leave (IC1 indicator)',
        table: plainTable(il, [
          ['Day', 'day', String],
          ['Install and Commission', 'installAndCommission', num],
          ['Install and Leave', 'installAndLeave', num],
          ['within 90-day window', 'withinWindow', num],
          ['SMWAN established', 'smwanEstablished', num],
          ['no SMWAN confirmed', 'noSmwanConfirmed', num],
          ['no CSP incident yet', 'noIncidentYet', num],
        ]),
      },
      {
        caption: 'Traffic-based detection against the true outages',
        table: plainTable(det, [
          ['Region', 'region', String],
          ['True outages', 'trueOutages', num],
          ['Detected', 'detected', num],
          ['Missed', 'missed', num],
          ['False alarms', 'falseAlarms', num],
          ['Mean delay (min)', 'meanDelayMinutes', min],
          ['Max delay (min)', 'maxDelayMinutes', min],
          ['Logged events: mean delay (min)', 'meanLoggedDelayMinutes', min],
        ]),
      },
    ],
    charts: [],
  };
}
