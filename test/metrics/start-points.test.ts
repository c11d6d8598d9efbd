/**
 * Where A1's clock starts (docs/metrics.md): AD1 when the CSP raises it, with
 * the power loss as an option and as its own indicator; SMETS1 at T1 from the
 * S1SP audit trail; drifted hub clocks kept and counted. Checked against the
 * hand-computed fixture start-points (its README.md and expected.json), and
 * the run directory named in the report as it was given.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, runReport, type A1Start } from '../../src/metrics/index.js';
import { caveatRow, fixture, readJson, report, root, row } from './helpers.js';

function expectFields(actual: any, expected: Record<string, unknown>, what: string): void {
  for (const [k, v] of Object.entries(expected)) expect(actual?.[k], `${what} ${k}`).toBe(v);
}

describe('fixture start-points', async () => {
  const dir = fixture('start-points');
  const exp = readJson(path.join(dir, 'expected.json'));
  const r = await report(dir);
  const powerLoss = await report(dir, { a1Start: 'power-loss' });

  it('loads every feed it has', () => {
    expect(Object.fromEntries(r.json.load.tables.map((t: any) => [t.table, t.records]))).toMatchObject(exp.records);
    expect(r.badRecords).toBe(0);
  });

  it('A1: AD1 from its raising, SMETS1 from T1, drifted hub times kept', () => {
    for (const side of ['feed', 'truth'] as const) {
      for (const [region, e] of Object.entries(exp.a1_measure[side])) {
        expectFields(row(r.json, 'a1_measure', { region })[side], e as Record<string, unknown>, `${side} ${region}`);
      }
    }
    expect(r.json.a1Start).toBe('raised');
    // only the throttled AD1 misses, and it misses on its delivery
    expect(row(r.json, 'a1_indicator', { alertCode: 'AD1' }).feed).toMatchObject({ alerts: 4, missed: 2, late: 1, failed: 1 });
  });

  it("a1Start 'power-loss': every AD1 misses, as it must by definition", () => {
    expect(powerLoss.json.a1Start).toBe('power-loss');
    for (const [region, e] of Object.entries(exp.a1_measure_power_loss)) {
      expectFields(row(powerLoss.json, 'a1_measure', { region }).feed, e as Record<string, unknown>, region);
    }
    expect(row(powerLoss.json, 'a1_indicator', { alertCode: 'AD1' }).feed).toMatchObject({ alerts: 4, missed: 4, late: 3, failed: 1, pctMissed: 100 });
    // the indicator beside A1 does not depend on the option
    expect(powerLoss.json.metrics.ad1_power_loss).toEqual(r.json.metrics.ad1_power_loss);
  });

  it('AD1 from the power loss, beside A1: the power loss from the AD1 record (hub stamp, else the last gasp)', () => {
    expect(r.json.metrics.ad1_power_loss.rows.map((x: any) => ({ ...x.key, ...x.feed }))).toEqual(exp.ad1_power_loss.feed);
    for (const [region, e] of Object.entries(exp.ad1_power_loss.truth)) {
      expectFields(row(r.json, 'ad1_power_loss', { region }).truth, e as Record<string, unknown>, region);
    }
    const md = readFileSync(path.join(r.out, 'report.md'), 'utf8');
    expect(md).toContain('| All | 4 (4) | 3 (3) | 204,100 (204,267) | 181,500 (181,500) | 243,420 (243,420) | 250,300 (250,300) | 181,050 (181,050) | 500 (500) |');
  });

  it('SMETS1 from T1 and from T2, in the caveats', () => {
    const c = r.json.caveats.caveat_smets1_start;
    expect(c.rows.map((x: any) => x.key.region)).toEqual(['SMETS1']);
    expect(c.rows[0].feed).toEqual(exp.caveat_smets1_start.feed);
    expect(c.rows[0].truth).toEqual(exp.caveat_smets1_start.truth);
    // A1's hop figures start at T1 too: SMETS1's end to end, all codes
    const e2e = row(r.json, 'hop_latency_daily', { region: 'SMETS1', alertCode: 'All', hop: 'endToEnd' });
    expect([e2e.feed.minMs, e2e.feed.medianMs, e2e.feed.maxMs]).toEqual([900, 2000, 61000]);
  });

  it('negative and implausible hop times: kept in the figures, counted by region in json, md and html', () => {
    const q = r.json.caveats.caveat_hop_quality;
    expect(q.rows.map((x: any) => ({ ...x.key, ...x.feed }))).toEqual(exp.caveat_hop_quality.feed);
    for (const [region, e] of Object.entries(exp.caveat_hop_quality.truthMin)) {
      expectFields(caveatRow(r.json, 'caveat_hop_quality', { region }).truth, e as Record<string, unknown>, region);
    }
    const hub = row(r.json, 'hop_latency_daily', { region: 'Central', alertCode: 'All', hop: 'hubToCsp' });
    expect([hub.feed.minMs, hub.truth.minMs]).toEqual([-800, 400]);
    const line = '| Central | 2 (2) | 1 (0) | 50.00% (0.00%) | 1 (0) | 0 (0) | 0 (0) | 0 (0) | 1 (0) | 0 (0) | -800 (400) | -200 (400) |';
    expect(readFileSync(path.join(r.out, 'report.md'), 'utf8')).toContain(line);
    const html = readFileSync(path.join(r.out, 'report.html'), 'utf8');
    expect(html).toContain('<td>Central</td><td>2 (2)</td><td>1 (0)</td><td>50.00% (0.00%)</td><td>1 (0)</td>');
  });

  it('an unknown a1Start is the user’s mistake, named', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-'));
    const e = await runReport(dir, { out, a1Start: 'condition' as A1Start }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FeedError);
    expect((e as FeedError).format()).toBe('--a1-start: must be one of raised, power-loss (got condition)');
  });
});

describe('the run directory as given', () => {
  it('a relative run directory is named as given in report.md, report.html and metrics.json', async () => {
    const rel = path.relative(process.cwd(), fixture('start-points'));
    expect(path.isAbsolute(rel)).toBe(false);
    const r = await report(rel);
    expect(r.json.run.dir).toBe(rel);
    expect(readFileSync(path.join(r.out, 'report.md'), 'utf8')).toContain(`Run directory: \`${rel}\`.`);
    expect(readFileSync(path.join(r.out, 'report.html'), 'utf8')).toContain(`Run directory: <code>${rel}</code>.`);
    for (const f of ['report.md', 'report.html', 'metrics.json']) expect(readFileSync(path.join(r.out, f), 'utf8'), f).not.toContain(root);
  });
});

const cli = path.join(root, 'dist/src/cli/main.js');

describe.skipIf(!existsSync(cli))('dcc-twin report --a1-start (built CLI)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-a1-start-'));
  cpSync(fixture('start-points'), path.join(tmp, 'run'), { recursive: true });
  const dccTwin = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });

  it('starts AD1 at the power loss when asked, and names the run directory as given', () => {
    const p = dccTwin('report', 'run', '--no-verify', '--a1-start', 'power-loss');
    expect(p.status, p.stderr).toBe(0);
    const json = readJson(path.join(tmp, 'run', 'metrics.json'));
    expect(json.a1Start).toBe('power-loss');
    expect(json.run.dir).toBe('run');
    expect(row(json, 'a1_indicator', { alertCode: 'AD1' }).feed.pctMissed).toBe(100);
    expect(readFileSync(path.join(tmp, 'run', 'report.md'), 'utf8')).toContain("AD1's clock starts at the power loss");
  });

  it('rejects any other start with exit 2 and no stack', () => {
    const p = dccTwin('report', 'run', '--no-verify', '--a1-start', 'condition');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/a1-start/);
    expect(p.stderr).not.toMatch(/^\s+at /m);
  });
});
