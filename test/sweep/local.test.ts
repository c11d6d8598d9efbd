/**
 * `dcc-twin sweep` on local worker processes, as a user runs it: every run
 * in the table, a worker killed mid-run retried once and one killed twice
 * recorded as failed, the DuckDB tables and capacity.html; an interrupted
 * sweep resumed without re-running what finished, with the same metrics.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dcc, one, root, start, SWEEP_TEST_TIMEOUT, until } from './support.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-sweep-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The pid in the name of a run's staging directory, once one other than `not` appears. */
function stagingPid(dir: string, run: string, not: number[] = []): number | null {
  const runs = path.join(dir, 'runs');
  if (!fs.existsSync(runs)) return null;
  for (const f of fs.readdirSync(runs)) {
    const m = new RegExp(`^\\.${run}\\.partial-(\\d+)$`).exec(f);
    if (m && !not.includes(Number(m[1]))) return Number(m[1]);
  }
  return null;
}

function csv(file: string): Array<Record<string, string>> {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  // The fields compared here hold no commas; error texts (quoted) come last and are read whole.
  const cols = head.split(',');
  return lines.map((l) => {
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
}

let killedDir = '';

describe('dcc-twin sweep, local workers', () => {
  it('refuses a bad sweep file with one line per problem, exit 2, before running anything', { timeout: SWEEP_TEST_TIMEOUT }, () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(root, 'test/sweep/fixtures/tiny-base.yaml'), path.join(dir, 'tiny-base.yaml'));
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'base: tiny-base.yaml\ngrid:\n  events[0].share: [0.5]\n  components.dsp.throttle: [1, 2]\n');
    const r = dcc(['sweep', file, '--out', path.join(dir, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:3: components\\.dsp\\.throttle: no such scenario key "throttle" under components\\.dsp \\(expected [^\\n]*\\)\\n$`));
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    const q = dcc(['sweep', one, '--queue', 'redis://127.0.0.1:1', '--keep-feeds']);
    expect([q.status, q.stderr]).toEqual([2, 'error: --keep-feeds: not with --queue (queue workers send back metrics.json only; run the sweep locally to keep feeds)\n']);
  });

  it('retries a run whose worker is killed, records one killed twice as failed, and tabulates every run', { timeout: SWEEP_TEST_TIMEOUT }, async () => {
    killedDir = path.join(tmp, 'killed');
    const s = start(['sweep', one, '--out', killedDir, '--workers', '1']);
    const killed: number[] = [];
    const kill = async (run: string) => {
      let pid: number | null = null;
      await until(() => (pid = stagingPid(killedDir, run, killed)) !== null);
      process.kill(pid!, 'SIGKILL');
      killed.push(pid!);
    };
    await kill('p001-r1');
    await kill('p001-r1');
    await kill('p002-r1');
    expect(await s.exit).toBe(0);
    const out = s.output();
    expect(out).toMatch(/retrying p001-r1: worker process \d+ killed by SIGKILL/);
    expect(out).toMatch(/failed {8}p001-r1: worker process \d+ killed by SIGKILL/);
    expect(out).toMatch(/retried {7}p002-r1: worker process \d+ killed by SIGKILL/);

    const rows = csv(path.join(killedDir, 'sweep.csv'));
    expect(rows.map((r) => [r.run, r.status, r.attempts, r['events[0].share']])).toEqual([
      ['p001-r1', 'failed', '2', '0.5'],
      ['p002-r1', 'ok', '2', '1'],
    ]);
    expect(rows[0]['a1.pct']).toBe('');
    expect(Number(rows[1]['a1.pct'])).toBeGreaterThan(0);
    expect(Number(rows[1]['a1.alerts'])).toBeGreaterThan(100);

    // Per point: mean and Student t interval over the runs that finished.
    const pts = csv(path.join(killedDir, 'points.csv')).filter((p) => p.figure === 'a1.pct');
    expect(pts.map((p) => [p.point, p.n, p.failed, p.mean, p.ciLow])).toEqual([['p001', '0', '1', '', ''], ['p002', '1', '0', rows[1]['a1.pct'], '']]);

    const db = await DuckDBInstance.create(path.join(killedDir, 'sweep.duckdb'), { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowsJS();
    expect(await q(`SELECT run, status FROM runs ORDER BY run`)).toEqual(rows.map((r) => [r.run, r.status]));
    expect(await q(`SELECT count(DISTINCT run) FROM figures WHERE metric = 'hop_latency_15min'`)).toEqual([[1n]]);
    const [[a1]] = await q(`SELECT value FROM figures WHERE run = 'p002-r1' AND metric = 'a1_measure' AND key = 'All' AND source = 'feed' AND field = 'pctWithinTarget'`);
    expect(a1).toBe(Number(rows[1]['a1.pct']));
    conn.closeSync();
    db.closeSync();

    const html = fs.readFileSync(path.join(killedDir, 'capacity.html'), 'utf8');
    expect(html).toContain('The largest storm absorbed');
    // The only point left (p001 failed) is below 99 %.
    expect(html).toContain('no point passes: below 1, the smallest tried');
    expect(html).toContain('1 run(s) failed twice');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('resumes an interrupted sweep without re-running what finished, with the same metrics', { timeout: SWEEP_TEST_TIMEOUT }, async () => {
    const dir = path.join(tmp, 'resumed');
    const s = start(['sweep', one, '--out', dir, '--workers', '1']);
    const finished = () => (fs.existsSync(path.join(dir, 'runs')) ? fs.readdirSync(path.join(dir, 'runs')).filter((f) => !f.startsWith('.')) : []);
    await until(() => finished().length >= 1);
    s.child.kill('SIGINT');
    expect(await s.exit).toBe(130);
    expect(s.output()).toMatch(/interrupted \(SIGINT\): every finished run is kept in .*--resume/);
    const kept = finished();
    expect(kept.length).toBeLessThan(2);
    const stamps = Object.fromEntries(kept.map((r) => [r, fs.statSync(path.join(dir, 'runs', r, 'result.json')).mtimeMs]));

    const again = dcc(['sweep', one, '--out', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/holds a sweep already; --resume to finish it/);

    const resumed = dcc(['sweep', one, '--out', dir, '--resume', '--workers', '2']);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`${2 - kept.length} run now, ${kept.length} finished before (--resume)`);
    for (const r of kept) expect(fs.statSync(path.join(dir, 'runs', r, 'result.json')).mtimeMs).toBe(stamps[r]);
    expect(fs.readdirSync(path.join(dir, 'runs')).filter((f) => f.startsWith('.'))).toEqual([]);

    // The same runs give the same metrics whatever the order, the worker and the interruption.
    const a = { 'p002-r1': fs.readFileSync(path.join(dir, 'runs/p002-r1/metrics.json'), 'utf8') };
    expect(a['p002-r1']).toBe(fs.readFileSync(path.join(killedDir, 'runs/p002-r1/metrics.json'), 'utf8'));
    for (const r of Object.values(a)) expect(JSON.parse(r).metrics.a1_measure.rows.length).toBeGreaterThan(0);
  });
});
