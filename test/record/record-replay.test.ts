/**
 * The event log end to end, through the built CLI: a small run with alerts,
 * a power outage and Service Requests (DUIS bodies on) is recorded and
 * replayed; every file, manifest.json included, must come back byte for
 * byte. A cut log and a log with one bit flipped are named by the byte
 * offset of their first bad record (exit 2), and --salvage replays what
 * came before it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogReader } from '../../src/record/log.js';
import { SMALL_SCENARIO } from '../support/record.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'dist/src/cli/main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dccTwin(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel))
    .flatMap((n) => {
      const p = rel === '' ? n : `${rel}/${n}`;
      return statSync(path.join(dir, p)).isDirectory() ? filesUnder(dir, p) : [p];
    })
    .sort();
}

/** Byte offsets where each record of a sound log begins, and where it ends. */
function recordStarts(log: string): number[] {
  const r = new LogReader(log);
  const starts: number[] = [];
  while (r.read() !== null) starts.push(r.offset);
  starts.push(r.next);
  r.close();
  return starts;
}

describe.skipIf(!existsSync(cli))('run --record and replay (built CLI)', () => {
  const run = path.join(tmp, 'run');
  const log = path.join(run, 'run.twinlog');

  beforeAll(() => {
    writeFileSync(path.join(tmp, 'small.yaml'), SMALL_SCENARIO);
    const r = dccTwin('run', path.join(tmp, 'small.yaml'), '--out', run, '--no-report', '--record');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/event log .*run\.twinlog/);
  }, 120_000);

  it('replays every file byte for byte, manifest.json included', () => {
    const out = path.join(tmp, 'replayed');
    const r = dccTwin('replay', log, '--out', out);
    expect(r.code, r.err).toBe(0);
    const original = filesUnder(run).filter((f) => f !== 'run.twinlog');
    expect(filesUnder(out)).toEqual(original);
    // The run has each kind of record: alerts, the outage's AD1, Service Requests, DUIS bodies.
    const ast = readFileSync(path.join(run, 'feeds/dsp-ast.jsonl'), 'utf8');
    expect(ast).toContain('"AD1"');
    expect(readFileSync(path.join(run, 'feeds/dsp-service-audit.jsonl'), 'utf8').length).toBeGreaterThan(0);
    expect(original.some((f) => f.startsWith('feeds/duis/'))).toBe(true);
    for (const f of original) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(run, f))), f).toBe(true);
  });

  it('records the same log in every run of the same scenario, byte for byte', () => {
    // The 15-minute alert rows once went into the log between kernel slices, whose length follows
    // the wall clock: their place among the other records then moved from run to run.
    const again = path.join(tmp, 'again');
    const r = dccTwin('run', path.join(tmp, 'small.yaml'), '--out', again, '--no-report', '--record');
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(path.join(again, 'run.twinlog')).equals(readFileSync(log))).toBe(true);
  });

  it('stores the JSONL feeds as facts: the log is several times smaller than them', () => {
    const jsonl = filesUnder(run).filter((f) => f.endsWith('.jsonl')).reduce((a, f) => a + statSync(path.join(run, f)).size, 0);
    const duis = filesUnder(run).filter((f) => f.endsWith('.ndxml')).reduce((a, f) => a + statSync(path.join(run, f)).size, 0);
    // DUIS bodies go as text, so the log is at least their size; the rest must shrink by far more than 5x.
    expect(statSync(log).size - duis).toBeLessThan(jsonl / 5);
  });

  it('names a cut log by the offset of its first bad record, exit 2; --salvage replays the records before it', () => {
    const starts = recordStarts(log);
    const bytes = readFileSync(log);
    const cutAt = Math.floor(bytes.length * 0.6);
    const cut = path.join(tmp, 'cut.twinlog');
    writeFileSync(cut, bytes.subarray(0, cutAt));
    const firstBad = starts.filter((s) => s < cutAt).pop()!;

    const r = dccTwin('replay', cut, '--out', path.join(tmp, 'cut-out'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${cut}: byte ${firstBad}: cut short`);
    expect(existsSync(path.join(tmp, 'cut-out'))).toBe(false);

    const s = dccTwin('replay', cut, '--out', path.join(tmp, 'cut-salvaged'), '--salvage');
    expect(s.code, s.err).toBe(0);
    expect(s.err).toContain(`warning: ${cut}: byte ${firstBad}`);
    // What was salvaged is the start of each file, line for line.
    const full = readFileSync(path.join(run, 'feeds/dsp-ast.jsonl'), 'utf8');
    const part = readFileSync(path.join(tmp, 'cut-salvaged/feeds/dsp-ast.jsonl'), 'utf8');
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(full.length);
    expect(full.startsWith(part)).toBe(true);
  });

  it('names a log with one bit flipped by the offset of the record that holds it', () => {
    const starts = recordStarts(log);
    const bytes = Buffer.from(readFileSync(log));
    const flipAt = Math.floor(bytes.length * 0.4);
    bytes[flipAt] ^= 0x10;
    const flipped = path.join(tmp, 'flipped.twinlog');
    writeFileSync(flipped, bytes);
    const holder = starts.filter((s) => s <= flipAt).pop()!;
    const r = dccTwin('replay', flipped, '--out', path.join(tmp, 'flipped-out'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${flipped}: byte ${holder}:`);
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  it('refuses a file that is no log, exit 2', () => {
    const r = dccTwin('replay', path.join(tmp, 'small.yaml'), '--out', path.join(tmp, 'nolog'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('byte 0: not a dcc-twin log');
  });
});
