/**
 * Feed files that break their schema: reported with file, line and field;
 * 'stop' throws a FeedError at the first, 'skip' leaves the bad records out
 * and counts them in the report. Nothing is dropped silently.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, runReport } from '../../src/metrics/index.js';
import { fixture, report } from './helpers.js';

async function stopError(dir: string): Promise<FeedError> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-'));
  try {
    await runReport(dir, { out, verify: false });
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    return e as FeedError;
  }
  throw new Error(`no FeedError for ${dir}`);
}

/** A copy of fixture a1-edges with one file's line replaced. */
function corrupt(file: string, line: number, edit: (s: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-bad-'));
  cpSync(fixture('a1-edges'), dir, { recursive: true });
  const p = path.join(dir, file);
  const lines = readFileSync(p, 'utf8').split('\n');
  lines[line - 1] = edit(lines[line - 1]);
  writeFileSync(p, lines.join('\n'));
  return dir;
}

const AST = 'feeds/dsp-ast.jsonl';

describe('bad records, stop mode (the default)', () => {
  it('a bad timestamp: file, line and field', async () => {
    const dir = fixture('bad-timestamp');
    const e = await stopError(dir);
    expect([e.file, e.line, e.field]).toEqual([path.join(dir, AST), 2, 'dspReceivedTimestamp']);
    expect(e.format()).toBe(`${path.join(dir, AST)}:2: dspReceivedTimestamp: "2026-01-15T10:00:01.700Z" is not a timestamp YYYYMMDDHHMMSS.SSS`);
  });

  it('a missing mandatory field', async () => {
    const dir = fixture('bad-missing-field');
    const e = await stopError(dir);
    expect(e.format()).toBe(`${path.join(dir, AST)}:3: alertCode: missing mandatory field`);
  });

  it('a truncated last line', async () => {
    const dir = fixture('bad-truncated');
    const e = await stopError(dir);
    expect(e.format()).toBe(`${path.join(dir, AST)}:3: (line): truncated last line (the file does not end with a line end)`);
  });

  it('a date that does not exist, a wrong type, a value outside its enum, an explicit null', async () => {
    const cases: [string, (s: string) => string, string][] = [
      ['20260231', (s) => s.replace('"dspReceivedTimestamp":"20260115100001.700"', '"dspReceivedTimestamp":"20260231100001.700"'), 'dspReceivedTimestamp: "20260231100001.700" is not a timestamp YYYYMMDDHHMMSS.SSS'],
      ['type', (s) => s.replace('"deliveryAttempts":1', '"deliveryAttempts":"one"'), 'deliveryAttempts: expected an integer, found a string'],
      ['enum', (s) => s.replace('"region":"North"', '"region":"Wales"'), 'region: "Wales" is not one of North, Central, South, SMETS1'],
      ['null', (s) => s.replace('"outcome":"delivered"', '"outcome":null'), 'outcome: null is not allowed (leave an absent field out)'],
      ['json', (s) => s.slice(0, 40), '(line): not valid JSON'],
    ];
    for (const [name, edit, message] of cases) {
      const dir = corrupt(AST, 2, edit);
      const e = await stopError(dir);
      expect(e.format(), name).toBe(`${path.join(dir, AST)}:2: ${message}`);
    }
  });

  it('the CSV feed: a cell that is not an integer, a wrong header', async () => {
    const csv = 'feeds/alert-throughput-15min.csv';
    let dir = corrupt(csv, 3, (s) => s.replace(',2,2,2,', ',2,two,2,'));
    expect((await stopError(dir)).format()).toBe(`${path.join(dir, csv)}:3: passedToServiceUser: "two" is not an integer`);
    dir = corrupt(csv, 1, (s) => s.replace('region', 'csp'));
    expect((await stopError(dir)).format()).toMatch(new RegExp(`^${path.join(dir, csv)}:1: \\(header\\): expected the header windowStart,windowEnd,region,`));
  });

  it('a directory that is not a run', async () => {
    const e = await stopError(path.join(fixture('a1-edges'), 'feeds'));
    expect(e.format()).toMatch(/feeds: not a run directory: it has no feeds\/ folder$/);
  });
});

describe('bad records, skip mode', () => {
  it('leaves each bad record out, counts it and lists it in the report', async () => {
    for (const [name, line, field] of [
      ['bad-timestamp', 2, 'dspReceivedTimestamp'],
      ['bad-missing-field', 3, 'alertCode'],
      ['bad-truncated', 3, '(line)'],
    ] as const) {
      const r = await report(fixture(name), { onBadRecord: 'skip' });
      expect(r.records, name).toBe(3);
      expect(r.badRecords, name).toBe(1);
      expect(r.json.load.bad).toEqual([expect.objectContaining({ file: AST, line, field })]);
      expect(r.json.load.tables.find((t: any) => t.table === 'dsp_ast')).toMatchObject({ records: 3, badRecords: 1 });
      // the good ones are measured: A1 of fixture a1-edges' first three alerts, less the bad one
      expect(r.json.metrics.a1_measure.rows.find((x: any) => x.key.region === 'North').feed.alerts, name).toBe(2);
      const md = readFileSync(path.join(r.out, 'report.md'), 'utf8');
      expect(md).toContain('3 records read, 1 bad record skipped.');
      expect(md).toContain(`| ${AST} | ${line} | ${field} |`);
    }
  });

  it('counts every bad record of a file, good ones kept', async () => {
    const dir = corrupt(AST, 1, (s) => s.replace('"region":"North"', '"region":"north"'));
    const p = path.join(dir, AST);
    writeFileSync(p, readFileSync(p, 'utf8').replaceAll('"alertType":"DCCAlert"', '"alertType":"DCC"'));
    const r = await report(dir, { onBadRecord: 'skip' });
    expect(r.badRecords).toBe(3); // line 1, and the two AD1 records (lines 6 and 8)
    expect(r.json.load.bad.map((b: any) => [b.line, b.field])).toEqual([
      [1, 'region'],
      [6, 'alertType'],
      [8, 'alertType'],
    ]);
    expect(r.json.metrics.a1_measure.rows.find((x: any) => x.key.region === 'All').feed.alerts).toBe(5);
  });
});
