/**
 * The Service Request figures of the PMR, as the pipeline computes them from
 * both sources (the DSP service audit trail and request-truth.jsonl): RSVP
 * per SRV and per business process, monthly and daily (seed 004, Requirement
 * 1, 2.3.1, 2.3.2), the outcome measures IC1, CoS1, B1, B2, PP1 (Requirement
 * 2, 2.4.1 to 2.4.4) and SECMP0053's Target Response Times side by side (seed
 * 002). Definitions: src/metrics/sql/requests.sql and requests-processes.sql.
 */
import type { MetricDef } from './compute.js';

const lit = (s: string): string => `'${s}'`;
const SOURCES = ['audit_requests', 'truth_requests'] as const;
const RSVP_VALUES = ['averageMs', 'medianMs', 'shortestMs', 'longestMs', 'pctWithinTarget', 'volume', 'pctFailed', 'excluded', 'excludedValidFailure', 'excludedNotWaited'];
const RSVP_DAILY_VALUES = ['averageMs', 'medianMs', 'pctWithinTarget', 'volume', 'pctFailed', 'excluded'];

/** A metric over the request sources: `macro(src)`. */
function def(id: string, title: string, source: string, keys: string[], values: string[], macro = id): MetricDef {
  return { id, title, source, call: (src) => `${macro}(${lit(src)})`, keys, values, sources: SOURCES };
}

export const REQUEST_METRICS: readonly MetricDef[] = [
  def(
    'rsvp_requests',
    'RSVP: Service Requests per SRV, monthly (shaped as seed 004 Table 2)',
    'seed 004, Requirement 1, 2.3.1 RSVP, Table 2; seed 003, 4 (exclusions)',
    ['month', 'srv', 'region'],
    RSVP_VALUES,
  ),
  def('rsvp_requests_daily', 'RSVP: Service Requests per SRV, daily', 'seed 004, 2.3.2 (daily data points)', ['day', 'srv', 'region'], RSVP_DAILY_VALUES),
  def(
    'rsvp_processes',
    'RSVP: business processes, monthly (shaped as seed 004 Table 2)',
    'seed 004, Requirement 1, 2.3.1 RSVP, 2.3.2 Table 1 (business processes), Table 2; seed 003, 4 (exclusions)',
    ['month', 'process', 'region'],
    RSVP_VALUES,
  ),
  def('rsvp_processes_daily', 'RSVP: business processes, daily', 'seed 004, 2.3.2 (daily data points, line graph)', ['day', 'process', 'region'], RSVP_DAILY_VALUES),
  def(
    'ic1_measure',
    'IC1: Install and Commission Service Requests that missed their Target Response Time',
    'seed 004, Requirement 2, 2.4.1 IC1 (Measure)',
    ['srv', 'region'],
    ['volume', 'missedTarget', 'pctMissedTarget', 'excludedValidFailure', 'excludedNotWaited'],
  ),
  def(
    'ic1_installs_daily',
    'IC1: successful and failed installations by day, CH / ESME / GSME and region',
    'seed 004, 2.4.1 IC1 (Indicator: daily volume by CH/ESME/GSME and Region); CH: 8.14.1, ESME/GSME: 8.1.1',
    ['day', 'device', 'region'],
    ['successful', 'failed'],
  ),
  def(
    'ic1_install_leave',
    'IC1: Install and Commission (8.14.1) versus Install and Leave (8.14.2)',
    'seed 004, 2.4.1 IC1 (Indicator: Install and Commission versus Install and Leave)',
    ['region'],
    ['installAndCommission', 'installAndLeave', 'pctInstallAndLeave'],
  ),
  def(
    'cos1_measure',
    'CoS1: SRV 6.23 successful, as reported and corrected by the gaining supplier’s later successful SRVs',
    'seed 004, Requirement 2, 2.4.2 CoS1 (Measure; Indicators: by device type and region, reason for failure)',
    ['deviceType', 'region'],
    ['requests', 'reportedSuccessful', 'pctReportedSuccessful', 'provedSuccessful', 'correctedSuccessful', 'pctCorrectedSuccessful', 'failedE201', 'failedE212', 'failedOther', 'excluded'],
  ),
  def(
    'billing_success',
    'B1 (SRV 5.1) and B2 (SRV 4.6.1): successful reads',
    'seed 004, Requirement 2, 2.4.3 B1, B2 (Measures)',
    ['srv', 'region'],
    ['requests', 'successful', 'pctSuccessful', 'pctWithinTarget', 'excluded'],
  ),
  def('billing_daily', 'B1 and B2 by day', 'seed 004, 2.4.3 B1, B2; 2.3.1 Rate (daily)', ['srv', 'day', 'region'], ['requests', 'successful', 'pctSuccessful']),
  def(
    'pp1_measure',
    'PP1: SRV 2.2 top-ups successful, by device type and region',
    'seed 004, Requirement 2, 2.4.4 PP1 (Measure; Indicator: volumes of success and failures)',
    ['deviceType', 'region'],
    ['requests', 'successful', 'failed', 'pctSuccessful', 'excluded'],
  ),
  def(
    'pp1_attempts',
    'PP1: attempts to top up before success',
    'seed 004, 2.4.4 PP1 (Indicator: the percentage attempts to top up before success)',
    ['attempts'],
    ['topUps', 'pctTopUps'],
  ),
  def(
    'pp1_failure_reasons',
    'PP1: reasons for the failed top-ups',
    'seed 004, 2.4.4 PP1 (Indicator: where failure is above 5%, the reason for the failure)',
    ['reason'],
    ['failures', 'pctOfFailures'],
  ),
  def(
    'secmp0053_trt',
    'SECMP0053: % within the Target Response Time before and after, on the same round trips',
    'seed 002, SECMP0053 Requirements 1 (6.14.1, 6.14.2, 7.9: 24 h to 30 s) and 2 (4.8.1: 30 s to 5600 s)',
    ['srv', 'region'],
    ['volume', 'trtBeforeMs', 'trtAfterMs', 'withinBefore', 'pctWithinBefore', 'withinAfter', 'pctWithinAfter'],
  ),
];
