/**
 * The report's firmware sections: DF1-DF3 (seed 004, 2.4.5) and CH1-CH2
 * (2.4.6) by region with SMETS1 apart, each cell feed (truth); the devices
 * seed 003 leaves out of DF2 in rows of their own; DF1-DF3 by day as a line
 * graph (2.3.1); campaign totals. From the metrics in src/metrics/sql/firmware.sql.
 */
import type { Value } from './compute.js';
import { lineChart } from './charts.js';
import { both, metric, num, pct, type ReportData, type Section } from './sections.js';

type Column = [header: string, field: string, fmt: (v: Value | undefined) => string];

function table(data: ReportData, id: string, caption: string, keys: string[], columns: Column[]): Section['tables'][number] {
  const m = metric(data, id);
  const rows = m.rows.map((r) => [...keys.map((k) => String(r.key[k])), ...columns.map(([, f, fmt]) => both(r, f, fmt))]);
  if (rows.length === 0) rows.push(['(none)', ...keys.slice(1).map(() => ''), ...columns.map(() => '')]);
  return { caption, table: { headers: [...keys, ...columns.map(([h]) => h)], rows } };
}

export function firmwareSection(data: ReportData): Section {
  const n = (v: Value | undefined) => num(v);
  const daily = metric(data, 'firmware_daily_figures');
  const days = daily.rows.map((r) => String(r.key.day));
  const line = (name: string, field: string, color: string) => ({
    name,
    color,
    values: daily.rows.map((r) => (typeof r.feed?.[field] === 'number' ? (r.feed[field] as number) : null)),
  });
  const any = metric(data, 'firmware_campaigns').rows.length > 0 || metric(data, 'ch1').rows.length > 0;
  return {
    title: 'Firmware: DF1-DF3, CH1-CH2',
    notes: [
      'Seed 004, 2.4.5 and 2.4.6, from the daily firmware throughput files (CR1421, CR1423, CR1440); each cell feed (truth), the truth rebuilt from firmware-truth.jsonl. DF1: images at the CHF (SMETS1: uploaded by the S1SP) within 5 days of SRV 11.1, over the devices whose 5 days have passed or whose image came in them. DF2: 8F72, 8F1C and devices silent a day after the image reached their hub, over the devices expected to say; the truth counts images that reached devices which never said so as transferred. DF3: SRV 11.3 success and failure responses.',
      'Excluded from DF2 and shown in their own rows (seed 003): makes that never acknowledge an image (IOC/MDS PPMIDs), whose distribution to the hub alone is reported; SMETS1 devices, whose S1SP reports the upload instead of a HAN alert (CR1440).',
      ...(any ? [] : ['No firmware campaigns in this run.']),
    ],
    tables: [
      table(data, 'df1', 'DF1 (Measure): SRV 11.1 images delivered to the Comms Hub within 5 days', ['region'], [
        ['targeted', 'targeted', n], ['delivered', 'distributed', n], ['within 5 days', 'withinTarget', n], ['missed 5 days', 'missedTarget', n],
        ['given up', 'failed', n], ['% within 5 days', 'pctWithinTarget', pct],
      ]),
      table(data, 'df2', 'DF2 (Indicator): device verification', ['region', 'population'], [
        ['devices', 'devices', n], ['8F72 verified', 'verified', n], ['8F1C failed', 'failed', n], ['silent', 'silent', n],
        ['% verified', 'pctVerified', pct], ['% failed', 'pctFailed', pct], ['% silent', 'pctSilent', pct],
      ]),
      table(data, 'df3', 'DF3 (Indicator): SRV 11.3 activation responses', ['region'], [
        ['success', 'success', n], ['failure', 'failure', n], ['% success', 'pctSuccess', pct], ['% failure', 'pctFailure', pct],
      ]),
      table(data, 'ch1', 'CH1 (Indicator): Comms Hub images delivered to the hub (CR1423)', ['region'], [
        ['attempts', 'attempts', n], ['delivered', 'successes', n], ['given up', 'failures', n], ['% delivered', 'pctSuccess', pct],
      ]),
      table(data, 'ch2', 'CH2 (Indicator): Comms Hub image activations', ['region'], [
        ['activated', 'activations', n], ['failed', 'activationFailures', n], ['% activated', 'pctActivated', pct],
      ]),
      table(data, 'firmware_campaigns', 'Campaign totals', ['campaignId', 'deviceType'], [
        ['targeted', 'targeted', n], ['delivered', 'distributed', n], ['DF1 %', 'pctDf1', pct], ['verified', 'verified', n], ['failed', 'failed', n],
        ['silent', 'silent', n], ['never acknowledge', 'noAcknowledgement', n], ['activated', 'activated', n], ['activation failed', 'activationFailed', n],
      ]),
    ],
    charts: days.length === 0 ? [] : [
      lineChart('DF1-DF3 by day (feeds)', '%', days, [
        line('DF1 % within 5 days', 'pctDf1', '#1f77b4'),
        line('DF2 % verified', 'pctDf2', '#2ca02c'),
        line('DF3 % activated', 'pctDf3', '#ff7f0e'),
      ]),
    ],
  };
}
