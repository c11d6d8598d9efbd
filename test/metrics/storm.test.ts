/**
 * The bundled storm scenario (scenarios/storm-north-area.yaml: a 45-minute
 * power outage in CSP North) run through the twin, then through the metrics
 * pipeline: the report's figures against the ground truth, within the
 * tolerances stated here, and against the twin's own 15-minute throughput
 * feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { runReport } from '../../src/metrics/index.js';
import { caveatRow, readJson, root, row } from './helpers.js';

/** A1 from the feeds may differ from the truth by at most this many percentage points. */
const A1_TOLERANCE_PP = 1;
/** CSP North's departure stamp: about 350 ms after arrival (seed 001, MP122-DC2). */
const CSP_NORTH_OFFSET_MS = 350;
const CSP_NORTH_TOLERANCE_MS = 50;
/** WAN-side HubTimestamp against the HAN-side receipt: "practically identical" (seed 001, MP122B-DC1). */
const HUB_TIME_MEAN_TOLERANCE_MS = 100;

const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-storm-'));
let json: any;
/** The same feeds with AD1's clock started at the power loss. */
let powerLoss: any;
let records = 0;
let lostBeforeDsp = 0;
/** Beside the run directory, which holds one whole run and nothing else. */
const powerLossOut = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-storm-power-loss-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(powerLossOut, { recursive: true, force: true });
});

beforeAll(async () => {
  const scenario = loadScenario(path.join(root, 'scenarios/storm-north-area.yaml'));
  scenario.output.duisBodies = false;
  const run = await runTwin(scenario, { outDir: dir });
  lostBeforeDsp = run.alerts.lost + run.outages.ad1Lost;
  const r = await runReport(dir);
  expect(r.badRecords).toBe(0);
  records = r.records;
  json = readJson(path.join(dir, 'metrics.json'));
  const out = path.join(powerLossOut, 'report');
  await runReport(dir, { a1Start: 'power-loss', out });
  powerLoss = readJson(path.join(out, 'metrics.json'));
}, 120_000);

describe('storm-north-area: report against ground truth', () => {
  it('loads every record of every feed', () => {
    expect(records).toBeGreaterThan(10_000);
    expect(json.load.records).toBe(records);
    const ast = json.load.tables.find((t: any) => t.table === 'dsp_ast').records;
    // The ground truth also has the alerts lost before the DSP (hubs without WAN): they are not in its figures.
    expect(lostBeforeDsp).toBeGreaterThan(0);
    expect(json.load.tables.find((t: any) => t.table === 'ground_truth').records).toBe(ast + lostBeforeDsp);
  });

  it(`A1 by region: the same alerts, within ${A1_TOLERANCE_PP} percentage point of the truth`, () => {
    const rows = json.metrics.a1_measure.rows;
    expect(rows.map((r: any) => r.key.region)).toEqual(['North', 'Central', 'South', 'SMETS1', 'All']);
    for (const r of rows) {
      expect(r.feed.alerts, r.key.region).toBe(r.truth.alerts);
      expect(Math.abs(r.diff.pctWithinTarget), r.key.region).toBeLessThanOrEqual(A1_TOLERANCE_PP);
    }
  });

  it('the headline shows delivery: AD1 from its raising; from the power loss it misses by definition', () => {
    const ad1 = row(json, 'a1_indicator', { alertCode: 'AD1' });
    expect(ad1.feed.alerts).toBeGreaterThan(1000);
    expect(ad1.feed.pctMissed).toBeLessThan(100);
    expect(Math.abs(ad1.diff.pctMissed)).toBeLessThanOrEqual(A1_TOLERANCE_PP);
    // started at the power loss, every AD1 misses: the 3-minute confirmation alone exceeds 60 s
    const ad1PowerLoss = row(powerLoss, 'a1_indicator', { alertCode: 'AD1' });
    expect([ad1PowerLoss.feed.missed, ad1PowerLoss.feed.pctMissed]).toEqual([ad1.feed.alerts, 100]);
    // only AD1 moves: the headline differs by exactly the AD1s delivered within 60 s of their raising
    const all = row(json, 'a1_measure', { region: 'All' }).feed;
    const allPowerLoss = row(powerLoss, 'a1_measure', { region: 'All' }).feed;
    expect(all.withinTarget - allPowerLoss.withinTarget).toBe(ad1.feed.alerts - ad1.feed.missed);
    // power loss -> delivered, beside A1: confirmation of 3 minutes or more, then A1's clock
    const lost = row(json, 'ad1_power_loss', { region: 'All' });
    expect(lost.feed.alerts).toBe(ad1.feed.alerts);
    expect(lost.feed.medianConfirmationMs).toBeGreaterThanOrEqual(180_000);
    expect(lost.feed.medianMs).toBeGreaterThanOrEqual(lost.feed.medianConfirmationMs);
    // the power loss is the hub's own stamp, on its SDK clock: practically the true time
    expect(Math.abs(lost.diff.medianMs)).toBeLessThanOrEqual(HUB_TIME_MEAN_TOLERANCE_MS);
  });

  it('SMETS1 from T1: the feeds agree with the truth, and T2 would show it faster', () => {
    const s = caveatRow(json, 'caveat_smets1_start', { region: 'SMETS1' });
    expect(s.feed.withT1).toBe(s.feed.alerts);
    expect(s.diff.pctWithinTargetFromT1).toBe(0);
    expect(s.diff.medianFromT1Ms).toBe(0);
    expect(s.feed.meanT1ToT2Ms).toBeGreaterThan(0);
    expect(s.feed.medianFromT2Ms).toBeLessThan(s.feed.medianFromT1Ms);
    expect(row(json, 'a1_measure', { region: 'SMETS1' }).diff.pctWithinTarget).toBe(0);
  });

  it('drifted hub clocks: kept in the hop figures, records with negative hops counted by region; none in the truth', () => {
    const q = json.caveats.caveat_hop_quality.rows;
    expect(q.map((r: any) => r.key.region)).toEqual(['North', 'Central', 'South', 'SMETS1', 'All']);
    for (const r of q) {
      expect(r.truth.flagged, r.key.region).toBe(0);
      expect(r.feed.alerts, r.key.region).toBe(r.truth.alerts);
      // counted exactly where the hop figures go below zero
      expect(r.feed.negativeHubToCsp > 0, r.key.region).toBe(r.feed.minHubToCspMs !== null && r.feed.minHubToCspMs < 0);
    }
    const all = caveatRow(json, 'caveat_hop_quality', { region: 'All' });
    expect(row(json, 'hop_latency_daily', { region: 'All', alertCode: 'All', hop: 'hubToCsp' }).feed.minMs).toBe(all.feed.minHubToCspMs);
    // a hub clock ahead of true time shortens the reported hop: kept, not clamped
    expect(q.some((r: any) => r.feed.minHubToCspMs !== null && r.feed.minHubToCspMs < r.truth.minHubToCspMs)).toBe(true);
  });

  it(`CSP North's departure stamp: +${CSP_NORTH_OFFSET_MS} ms ± ${CSP_NORTH_TOLERANCE_MS} on Device Alerts, 0 elsewhere`, () => {
    const rows = json.caveats.caveat_csp_received.rows;
    const north = rows.find((r: any) => r.region === 'North' && r.alertType === 'DeviceAlert');
    expect(Math.abs(north.medianOffsetMs - CSP_NORTH_OFFSET_MS)).toBeLessThanOrEqual(CSP_NORTH_TOLERANCE_MS);
    expect(Math.abs(north.meanOffsetMs - CSP_NORTH_OFFSET_MS)).toBeLessThanOrEqual(CSP_NORTH_TOLERANCE_MS);
    for (const r of rows.filter((x: any) => x.region !== 'North')) expect([r.region, r.meanOffsetMs, r.maxOffsetMs]).toEqual([r.region, 0, 0]);
    // and the hop it inflates: North hubToCsp, feed minus truth, for the day
    const hop = row(json, 'hop_latency_daily', { region: 'North', alertCode: '8F36', hop: 'hubToCsp' });
    expect(hop.diff.medianMs).toBeGreaterThan(CSP_NORTH_OFFSET_MS - 2 * CSP_NORTH_TOLERANCE_MS);
  });

  it(`WAN-side hub time: mean offset within ${HUB_TIME_MEAN_TOLERANCE_MS} ms where HubTimestamp is given; SMETS1 has none`, () => {
    for (const r of json.caveats.caveat_hub_time.rows) {
      if (r.region === 'SMETS1') {
        expect(r.withHubTime).toBe(0);
        continue;
      }
      expect(r.withHubTime, r.region).toBeGreaterThan(0);
      expect(Math.abs(r.meanOffsetMs), r.region).toBeLessThanOrEqual(HUB_TIME_MEAN_TOLERANCE_MS);
    }
  });

  it('mean above median in the busiest 15-minute window, feed and truth', () => {
    const rows = json.metrics.mean_vs_median.rows;
    const busiest = rows.reduce((a: any, b: any) => (b.feed.alerts > a.feed.alerts ? b : a));
    expect(busiest.feed.meanMinusMedianMs).toBeGreaterThan(0);
    expect(busiest.truth.meanMinusMedianMs).toBeGreaterThan(0);
  });

  it("agrees with the twin's own 15-minute throughput feed, hop by hop", async () => {
    const inst = await DuckDBInstance.create(path.join(dir, 'metrics.duckdb'));
    const conn = await inst.connect();
    const counts = (
      await conn.runAndReadAll(
        `SELECT strftime(time_bucket(INTERVAL 15 MINUTE, dspReceivedTimestamp), '%Y-%m-%dT%H:%M:%S.000Z') AS w, region, alertCode, count(*) AS n FROM dsp_ast GROUP BY ALL`,
      )
    ).getRowObjectsJS();
    const csv = (
      await conn.runAndReadAll(
        `SELECT strftime(windowStart, '%Y-%m-%dT%H:%M:%S.000Z') AS w, region, alertCode, receivedByDsp, meanHubToCspMs, meanCspToDspMs, meanDspToServiceUserMs, meanHandshakeMs, maxEndToEndMs FROM alert_throughput_15min`,
      )
    ).getRowObjectsJS() as any[];
    conn.closeSync();
    inst.closeSync();
    const n = new Map(counts.map((c: any) => [`${c.w}|${c.region}|${c.alertCode}`, Number(c.n)]));
    let compared = 0;
    const hops: [string, string, string][] = [
      ['meanHubToCspMs', 'hubToCsp', 'meanMs'],
      ['meanCspToDspMs', 'cspToDsp', 'meanMs'],
      ['meanDspToServiceUserMs', 'dspToServiceUser', 'meanMs'],
      ['meanHandshakeMs', 'serviceUserHandshake', 'meanMs'],
      ['maxEndToEndMs', 'endToEnd', 'maxMs'],
    ];
    const find = (report: any, c: any, hop: string) =>
      report.metrics.hop_latency_15min.rows.find(
        (x: any) => x.key.periodStart === c.w && x.key.region === c.region && x.key.alertCode === c.alertCode && x.key.hop === hop,
      );
    for (const c of csv) {
      // a row is complete when it counts every alert the DSP log has for its window
      if (n.get(`${c.w}|${c.region}|${c.alertCode}`) !== Number(c.receivedByDsp)) continue;
      compared++;
      for (const [col, hop, stat] of hops) {
        const what = `${c.w} ${c.region} ${c.alertCode} ${hop}`;
        // The feed's end to end starts at the AST record's first point: the power loss for
        // AD1 (the report's power-loss start), T2 for SMETS1 (the report starts at the
        // earlier T1, so its longest is at least the feed's).
        const r = find(hop === 'endToEnd' && c.alertCode === 'AD1' ? powerLoss : json, c, hop);
        if (c[col] === null) {
          expect(r?.feed ?? null, what).toBeNull();
          continue;
        }
        if (hop === 'endToEnd' && c.region === 'SMETS1') {
          expect(r.feed[stat], what).toBeGreaterThanOrEqual(Number(c[col]));
          continue;
        }
        // the feed rounds means to whole milliseconds
        expect(Math.abs(r.feed[stat] - Number(c[col])), what).toBeLessThanOrEqual(0.501);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(csv.length * 0.9);
  });
});
