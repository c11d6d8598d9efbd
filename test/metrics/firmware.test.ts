/**
 * DF1-DF3 and CH1-CH2 over the hand-made fixture fixtures/firmware (its
 * README.md works every figure out): feed and truth side by side, the seed 003
 * exclusions in rows of their own, DF1-DF3 by day.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, readJson, report, row } from './helpers.js';

describe('fixture firmware', async () => {
  const dir = fixture('firmware');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);

  it('loads the firmware feeds and truth with no bad records', () => {
    const loaded = Object.fromEntries(r.json.load.tables.map((t: any) => [t.table, t.records]));
    expect(loaded).toMatchObject({ firmware_daily: 6, firmware_comms_hub_daily: 3, firmware_truth: 5 });
    expect(r.badRecords).toBe(0);
  });

  it('DF1: within 5 days over the devices decided, by region and in all; the truth sees the late delivery', () => {
    for (const [region, e] of Object.entries<any>(exp.df1)) {
      const p = row(r.json, 'df1', { region });
      expect(p.feed, region).toEqual(e.feed);
      expect(p.truth, region).toEqual(e.truth);
    }
    expect(r.json.metrics.df1.rows.map((x: any) => x.key.region)).toEqual(['North', 'Central', 'SMETS1', 'All']);
  });

  it('DF2: verified, failed and silent over the devices expected to say; those that never acknowledge and SMETS1 in rows of their own', () => {
    const rows = r.json.metrics.df2.rows;
    expect(rows.map((x: any) => ({ region: x.key.region, population: x.key.population }))).toEqual(exp.df2.map((e: any) => ({ region: e.region, population: e.population })));
    for (const e of exp.df2) expect(row(r.json, 'df2', { region: e.region, population: e.population }).feed).toMatchObject(e.feed);
    expect(row(r.json, 'df2', { region: 'North', population: 'counted' }).truth).toEqual(exp.df2_truth_North);
  });

  it('DF3, CH1, CH2 by region', () => {
    for (const [id, byRegion] of Object.entries<any>({ df3: exp.df3, ch1: exp.ch1, ch2: exp.ch2 })) {
      for (const [region, e] of Object.entries(byRegion)) expect(row(r.json, id, { region }).feed, `${id} ${region}`).toEqual(e);
    }
    expect(row(r.json, 'ch2', { region: 'North' }).truth).toEqual(exp.ch2_truth_North);
  });

  it('DF1-DF3 by day, for the line graph', () => {
    const feed = r.json.metrics.firmware_daily_figures.rows.filter((x: any) => x.feed).map((x: any) => ({
      day: x.key.day, pctDf1: x.feed.pctDf1, pctDf2: x.feed.pctDf2, pctDf3: x.feed.pctDf3,
    }));
    expect(feed).toEqual(exp.daily);
  });
});
