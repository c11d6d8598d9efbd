/**
 * The report's sections on the outcome measures of the key business
 * processes, seed 004 Requirement 2: IC1 (2.4.1), CoS1 (2.4.2), B1 and B2
 * (2.4.3), PP1 (2.4.4); and SECMP0053's Target Response Times side by side
 * (seed 002). Each cell feed (truth). Figures: src/metrics/sql/
 * requests-processes.sql, through src/metrics/process-metrics.ts.
 */
import type { MetricResult, Value } from './compute.js';
import { lineChart } from './charts.js';
import { both, metric, num, pct, type ReportData, type Section } from './sections.js';
import { dailyRegionChart, keysOf, seconds } from './report-requests.js';

type Column = readonly [header: string, field: string, fmt: (v: Value | undefined) => string];
type Table = Section['tables'][number];

/** One row per row of `m` (optionally filtered): its keys, then each column as feed (truth). */
function keyedTable(m: MetricResult, keys: ReadonlyArray<readonly [header: string, key: string]>, columns: readonly Column[], caption?: string, keep = (_: MetricResult['rows'][number]) => true): Table {
  const rows = m.rows.filter(keep).map((r) => [...keys.map(([, k]) => String(r.key[k])), ...columns.map(([, field, fmt]) => both(r, field, fmt))]);
  if (rows.length === 0) rows.push(['(none)', ...Array<string>(keys.length + columns.length - 1).fill('')]);
  return { ...(caption === undefined ? {} : { caption }), table: { headers: [...keys.map(([h]) => h), ...columns.map(([h]) => h)], rows } };
}

const EXCLUDED: readonly Column[] = [
  ['excluded: valid failures', 'excludedValidFailure', num],
  ['excluded: not waited', 'excludedNotWaited', num],
];

function ic1Section(data: ReportData): Section {
  const installs = metric(data, 'ic1_installs_daily');
  const days = keysOf(installs, 'day');
  const series = ['CH', 'ESME', 'GSME'].map((device, i) => ({
    name: `${device} installed`,
    color: ['#1f77b4', '#2ca02c', '#ff7f0e'][i],
    values: days.map((d) => {
      const v = installs.rows.find((r) => r.key.day === d && r.key.device === device && r.key.region === 'All')?.feed?.successful;
      return typeof v === 'number' ? v : null;
    }),
  }));
  return {
    title: 'IC1: Install and Commission',
    notes: [
      'Seed 004, 2.4.1, IC1. Measure: the Response Times of the Install and Commission Service Requests (the SRVs of the process instances the DSP service audit trail names) and the percentage that failed to meet their Target Response Time (RTT above the TRT; 30.000 s on a 30 s TRT is within). Excluded requests (seed 003, 4) are left out and counted by reason.',
      'Indicator, installations by day: a Comms Hub is installed when its 8.14.1 (Install Success) succeeds, an ESME or GSME when its 8.1.1 (Commission Device) succeeds; an installation none of whose attempts succeeded is failed, on the day of its last attempt. Install and Commission (8.14.1) versus Install and Leave (8.14.2, Install No SMWAN), from the Service Requests alone.',
    ],
    tables: [
      keyedTable(metric(data, 'ic1_measure'), [['SRV', 'srv'], ['region', 'region']], [
        ['volume', 'volume', num], ['missed the TRT', 'missedTarget', num], ['% missed the TRT', 'pctMissedTarget', pct], ...EXCLUDED,
      ], 'Install and Commission Service Requests that missed their Target Response Time'),
      keyedTable(installs, [['day', 'day'], ['device', 'device'], ['region', 'region']], [['successful', 'successful', num], ['failed', 'failed', num]], 'Installations by day, CH / ESME / GSME and region'),
      keyedTable(metric(data, 'ic1_install_leave'), [['region', 'region']], [
        ['Install and Commission (8.14.1)', 'installAndCommission', num], ['Install and Leave (8.14.2)', 'installAndLeave', num], ['% Install and Leave', 'pctInstallAndLeave', pct],
      ], 'Install and Commission versus Install and Leave'),
    ],
    charts: days.length > 0 ? [lineChart('Installations by day, all regions (feeds)', 'installed', days, series)] : [],
  };
}

function cos1Section(data: ReportData): Section {
  return {
    title: 'CoS1: Change of Supplier',
    notes: [
      'Seed 004, 2.4.2, CoS1: the percentage of successful SRV 6.23. "Where the response erroneously reports a failure, the presence of subsequent critical and non-critical SRs sent by the gaining supplier will be used as an indicator of success": a reported failure counts as proved wrong when the same User later sent a successful SRV (other than 6.23) to the same device, after the 6.23’s response was sent. Reported and corrected figures side by side; the failures that stand, by reason. By device type and region.',
    ],
    tables: [
      keyedTable(metric(data, 'cos1_measure'), [['device type', 'deviceType'], ['region', 'region']], [
        ['6.23 requests', 'requests', num], ['reported successful', 'reportedSuccessful', num], ['% reported', 'pctReportedSuccessful', pct],
        ['failures proved wrong', 'provedSuccessful', num], ['corrected successful', 'correctedSuccessful', num], ['% corrected', 'pctCorrectedSuccessful', pct],
        ['failed: E201', 'failedE201', num], ['failed: E212', 'failedE212', num], ['failed: other', 'failedOther', num], ['excluded', 'excluded', num],
      ]),
    ],
    charts: [],
  };
}

function billingSection(data: ReportData): Section {
  const daily = metric(data, 'billing_daily');
  const charts = ['5.1', '4.6.1']
    .filter((srv) => daily.rows.some((r) => r.key.srv === srv))
    .map((srv) => dailyRegionChart(daily, (r) => r.key.srv === srv, 'pctSuccessful', `${srv === '5.1' ? 'B1' : 'B2'}: % of SRV ${srv} successful, by day (feeds)`, '% successful'));
  return {
    title: 'B1 and B2: Billing',
    notes: [
      'Seed 004, 2.4.3. B1: the percentage of SRV 5.1 (scheduled meter reads) successful, and delivered (read or failure response) within 24 hours of the start of the execution time (5.1’s TRT). B2: the percentage of SRV 4.6.1 (on-demand daily read log) successful. Successful: I0 with no failure alert after it. By region and SMETS1; daily in the graphs and in metrics.json (billing_daily).',
    ],
    tables: [
      keyedTable(metric(data, 'billing_success'), [['SRV', 'srv'], ['region', 'region']], [
        ['requests', 'requests', num], ['successful', 'successful', num], ['% successful', 'pctSuccessful', pct], ['% within the TRT (B1: 24 h)', 'pctWithinTarget', pct], ['excluded', 'excluded', num],
      ]),
    ],
    charts,
  };
}

/** PP1 lists the failure reasons above this share of the failures (seed 004 2.4.4: "Where failure is above 5%"). */
const REASON_SHARE = 5;

function pp1Section(data: ReportData): Section {
  const reasons = metric(data, 'pp1_failure_reasons');
  const listed = (r: MetricResult['rows'][number]): boolean => (r.feed?.pctOfFailures as number) > REASON_SHARE || (r.truth?.pctOfFailures as number) > REASON_SHARE;
  const below = reasons.rows.filter((r) => !listed(r)).length;
  return {
    title: 'PP1: Prepayment top-ups',
    notes: [
      'Seed 004, 2.4.4, PP1: the percentage of SRV 2.2 (Top Up Device) successful, by device type and region, with the volumes of success and failure. Attempts before success: per top-up (a top-up and every resend of it by the User), the User’s attempt that first succeeded. Reasons: the response code of every failed top-up (excluded ones too), those above 5% of the failures listed.',
    ],
    tables: [
      keyedTable(metric(data, 'pp1_measure'), [['device type', 'deviceType'], ['region', 'region']], [
        ['top-up requests', 'requests', num], ['successful', 'successful', num], ['failed', 'failed', num], ['% successful', 'pctSuccessful', pct], ['excluded', 'excluded', num],
      ]),
      keyedTable(metric(data, 'pp1_attempts'), [['succeeded at attempt', 'attempts']], [['top-ups', 'topUps', num], ['% of top-ups', 'pctTopUps', pct]], 'Attempts to top up before success'),
      keyedTable(
        reasons,
        [['reason', 'reason']],
        [['failures', 'failures', num], ['% of failures', 'pctOfFailures', pct]],
        `Reasons for failure above ${REASON_SHARE}% of the failures${below > 0 ? ` (${below} reason${below === 1 ? '' : 's'} below, in metrics.json)` : ''}`,
        listed,
      ),
    ],
    charts: [],
  };
}

function secmp0053Section(data: ReportData): Section {
  return {
    title: 'SECMP0053: Target Response Times before and after',
    notes: [
      'Seed 002 (SECMP0053): Requirement 1, 6.14.1, 6.14.2 and 7.9 from 24 hours to 30 seconds; Requirement 2, 4.8.1 from 30 seconds to 5600 seconds. The same round trips of this run measured against both TRTs (src/dcc/srvs.ts), whichever the run applied.',
    ],
    tables: [
      keyedTable(metric(data, 'secmp0053_trt'), [['SRV', 'srv'], ['region', 'region']], [
        ['volume', 'volume', num], ['TRT before (s)', 'trtBeforeMs', seconds], ['% within before', 'pctWithinBefore', pct], ['TRT after (s)', 'trtAfterMs', seconds], ['% within after', 'pctWithinAfter', pct],
      ]),
    ],
    charts: [],
  };
}

/** The outcome-measure sections, in seed 004's order. */
export function processSections(data: ReportData): Section[] {
  return [ic1Section(data), cos1Section(data), billingSection(data), pp1Section(data), secmp0053Section(data)];
}
