/**
 * The PIT/SIT fixtures (fixtures/*): hand-made feed directories whose expected
 * figures were worked out by hand (each fixture's README.md and expected.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, readJson, report, row, type Report } from './helpers.js';

function expectFields(actual: any, expected: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(expected)) expect(actual?.[k], k).toBe(v);
}

function loadedRecords(r: Report): Record<string, number> {
  return Object.fromEntries(r.json.load.tables.map((t: any) => [t.table, t.records]));
}

describe('fixture a1-edges', async () => {
  const dir = fixture('a1-edges');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);
  const r60001 = await report(dir, { slaMs: 60_001 });
  const rPowerLoss = await report(dir, { a1Start: 'power-loss' });

  it('loads every feed, one table each, no bad records', () => {
    expect(loadedRecords(r)).toMatchObject(exp.records);
    expect(r.records).toBe(36);
    expect(r.badRecords).toBe(0);
    for (const f of ['metrics.duckdb', 'report.html', 'report.md', 'metrics.json']) expect(existsSync(path.join(r.out, f)), f).toBe(true);
  });

  it('A1: 60.000 s is within, 60.001 s is not; failed missed; rejected excluded; throttled counted', () => {
    for (const [region, e] of Object.entries(exp.a1_measure)) {
      const p = row(r.json, 'a1_measure', { region });
      expectFields(p.feed, e as Record<string, unknown>);
      expectFields(p.truth, e as Record<string, unknown>);
      expect(p.diff.pctWithinTarget).toBe(0);
    }
    expect(r.json.metrics.a1_measure.rows.map((x: any) => x.key.region)).toEqual(['North', 'Central', 'South', 'SMETS1', 'All']);
  });

  it('A1 with a 60 001 ms target counts the 60.001 s alert as within', () => {
    for (const [region, e] of Object.entries(exp.a1_measure_sla_60001)) expectFields(row(r60001.json, 'a1_measure', { region }).feed, e as Record<string, unknown>);
    expect(r60001.json.slaMs).toBe(60_001);
  });

  it('A1 indicator: missed by alert code, most missed first', () => {
    const rows = r.json.metrics.a1_indicator.rows;
    expect(rows.map((x: any) => ({ alertCode: x.key.alertCode, ...x.feed }))).toEqual(exp.a1_indicator);
  });

  it('AD1: A1 from its raising (400 ms), 181.4 s from the power loss in its own figure and with a1Start power-loss', () => {
    for (const [region, e] of Object.entries(exp.ad1_power_loss)) {
      const p = row(r.json, 'ad1_power_loss', { region });
      expect(p.feed, region).toEqual(e);
      expect(p.truth, region).toEqual(e);
    }
    for (const [region, e] of Object.entries(exp.a1_measure_power_loss)) expectFields(row(rPowerLoss.json, 'a1_measure', { region }).feed, e as Record<string, unknown>);
    const rows = rPowerLoss.json.metrics.a1_indicator.rows;
    expect(rows.map((x: any) => ({ alertCode: x.key.alertCode, ...x.feed }))).toEqual(exp.a1_indicator_power_loss);
  });

  it('hop latencies: mean, median, percentiles, min, max; feed against truth', () => {
    const hub = row(r.json, 'hop_latency_daily', { periodStart: '2026-01-15T00:00:00.000Z', region: 'North', alertCode: 'All', hop: 'hubToCsp' });
    expect(hub.feed).toEqual(exp.hop_hubToCsp_North_day.feed);
    expect(hub.truth).toEqual(exp.hop_hubToCsp_North_day.truth);
    expect(hub.diff.meanMs).toBe(513.333);
    const e2e = row(r.json, 'hop_latency_daily', { periodStart: '2026-01-15T00:00:00.000Z', region: 'All', alertCode: 'All', hop: 'endToEnd' });
    expectFields(e2e.feed, exp.hop_endToEnd_All_day.feed);
    expectFields(e2e.truth, exp.hop_endToEnd_All_day.truth);
  });

  it('15-minute windows by DSP receipt: 10:14:59.999 and 10:15:00.000 fall either side', () => {
    const rows = r.json.metrics.mean_vs_median.rows;
    expect(rows.map((x: any) => ({ windowStart: x.key.windowStart, alerts: x.feed.alerts, meanMs: x.feed.meanMs, medianMs: x.feed.medianMs, maxMs: x.feed.maxMs }))).toEqual(
      exp.mean_vs_median_feed,
    );
    expectFields(row(r.json, 'mean_vs_median', { windowStart: '2026-01-15T10:00:00.000Z' }).truth, exp['mean_vs_median_truth_10:00']);
    // A4 (failed, DSP 10:14:59.999) and A5 (DSP 10:15:00.000): Central 8F3F's cspToDsp in two windows.
    const w1 = row(r.json, 'hop_latency_15min', { periodStart: '2026-01-15T10:00:00.000Z', region: 'Central', alertCode: '8F3F', hop: 'cspToDsp' });
    const w2 = row(r.json, 'hop_latency_15min', { periodStart: '2026-01-15T10:15:00.000Z', region: 'Central', alertCode: '8F3F', hop: 'cspToDsp' });
    expect([w1.feed.alerts, w1.feed.meanMs, w2.feed.alerts, w2.feed.meanMs]).toEqual([1, 499, 1, 300]);
  });

  it('RSVP rows shaped as seed 004 Table 2', () => {
    for (const [k, e] of Object.entries(exp.rsvp_alerts)) {
      const [process, region] = k.split('|');
      expect(row(r.json, 'rsvp_alerts', { process, region }).feed, k).toEqual(e);
    }
  });

  it('caveats as numbers: CSP North +350 ms, WAN-side hub time, a missing HubTimestamp', () => {
    expect(r.json.caveats.caveat_csp_received.rows).toEqual(exp.caveat_csp_received);
    expect(r.json.caveats.caveat_hub_time.rows).toEqual(exp.caveat_hub_time);
  });

  it('writes a self-contained report: inline SVG, no external resources', () => {
    const html = readFileSync(path.join(r.out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg /);
    expect(html).not.toMatch(/<script|<link |src="http|href="http/);
    expect(html).toContain('66.67% (66.67%)');
    const md = readFileSync(path.join(r.out, 'report.md'), 'utf8');
    expect(md).toContain('| North | 66.67% | 66.67% | 0.00 | 3 | 2 | 1 | 0 | 0 | 0 |');
  });

  it('gives byte-identical report files for the same feeds', async () => {
    const again = await report(dir);
    for (const f of ['report.html', 'report.md', 'metrics.json']) {
      expect(readFileSync(path.join(again.out, f), 'utf8'), f).toBe(readFileSync(path.join(r.out, f), 'utf8'));
    }
  });
});

describe('fixture storm-window', async () => {
  const dir = fixture('storm-window');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);

  it('loads the feeds present and empty tables for the rest', () => {
    expect(loadedRecords(r)).toMatchObject(exp.records);
  });

  it('A1 counts throttled alerts', () => {
    for (const [region, e] of Object.entries(exp.a1_measure)) expectFields(row(r.json, 'a1_measure', { region }).feed, e as Record<string, unknown>);
  });

  it('mean against median per window', () => {
    const rows = r.json.metrics.mean_vs_median.rows;
    expect(rows.map((x: any) => ({ windowStart: x.key.windowStart, ...x.feed }))).toEqual(exp.mean_vs_median);
  });

  it('hop latencies per 15-minute window, by region and alert code', () => {
    const key = { periodStart: '2026-01-15T12:00:00.000Z', region: 'North', alertCode: '8F36' };
    const e = exp['hop_15min_12:00_North_8F36'];
    const hub = row(r.json, 'hop_latency_15min', { ...key, hop: 'hubToCsp' });
    expectFields(hub.feed, e.hubToCsp.feed);
    expectFields(hub.truth, e.hubToCsp.truth);
    expect(hub.diff.meanMs).toBe(e.hubToCsp.diffMeanMs);
    expectFields(row(r.json, 'hop_latency_15min', { ...key, hop: 'serviceUserHandshake' }).feed, e.serviceUserHandshake.feed);
  });

  it('RSVP, Alerts Management, North', () => {
    expect(row(r.json, 'rsvp_alerts', { process: 'Alerts Management', region: 'North' }).feed).toEqual(exp.rsvp_alerts_management_North);
  });
});

describe('fixture other-source (dsp-ast.jsonl only, no ground truth)', async () => {
  const dir = fixture('other-source');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);

  it('loads what is there', () => {
    expect(loadedRecords(r)).toMatchObject(exp.records);
    expect(r.json.run).toEqual({ dir, scenario: null, seed: null, verified: false });
  });

  it('computes A1 with no truth beside it', () => {
    for (const [region, e] of Object.entries(exp.a1_measure)) {
      const p = row(r.json, 'a1_measure', { region });
      expectFields(p.feed, e as Record<string, unknown>);
      expect(p.truth).toBeNull();
      expect(p.diff).toBeNull();
    }
    expect(r.json.metrics.a1_measure.rows.map((x: any) => x.key.region)).toEqual(['Central', 'South', 'SMETS1', 'All']);
  });

  it('A1 by day of DSP receipt, across midnight', () => {
    expect(r.json.metrics.a1_daily.rows.map((x: any) => ({ ...x.key, ...x.feed }))).toEqual(exp.a1_daily);
  });

  it('A1 indicator', () => {
    expect(r.json.metrics.a1_indicator.rows.map((x: any) => ({ alertCode: x.key.alertCode, ...x.feed }))).toEqual(exp.a1_indicator);
  });
});

describe('fixture requests-rsvp', async () => {
  const dir = fixture('requests-rsvp');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);

  it('computes RSVP per SRV and region, monthly, as worked by hand: 30.000 s within, 30.001 s not; excludable left out; lost only in the truth', () => {
    expect(r.badRecords).toBe(0);
    expect(r.json.metrics.rsvp_requests.rows.map((x: any) => x.key)).toEqual(exp.rows);
    for (const [k, e] of Object.entries(exp.feed)) {
      const [srv, region] = k.split('/');
      expectFields(row(r.json, 'rsvp_requests', { month: '2026-01', srv, region }).feed, e as Record<string, unknown>);
    }
    for (const [k, e] of Object.entries(exp.truth)) {
      const [srv, region] = k.split('/');
      expectFields(row(r.json, 'rsvp_requests', { month: '2026-01', srv, region }).truth, e as Record<string, unknown>);
    }
  });

  it('reports them in seed 004 Table 2 shape, in seconds', () => {
    const md = readFileSync(path.join(r.out, 'report.md'), 'utf8');
    expect(md).toContain('## RSVP: Service Requests');
    expect(md).toContain('**SRV 2.2**');
    expect(md).toContain('| Average RTT (s) | 22.5 (22.5) | – | – | 12.0 (12.0) | 20.4 (20.4) |');
    expect(md).toContain('| Percentage of Service Requests that failed to be delivered | 25.00% (40.00%) |');
  });
});
