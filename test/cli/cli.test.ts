/**
 * The command line as a user meets it: the built CLI in a child process
 * (npm test builds first). Users' mistakes end with a message and exit code
 * 2, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'dist/src/cli/main.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dccTwin(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe.skipIf(!existsSync(cli))('dcc-twin (built CLI; run `npm run build` first)', () => {
  it('validates the bundled scenarios', () => {
    for (const s of ['quiet-day-small', 'storm-north-area', 'storm-north-gateway-down', 'storm-1m']) {
      const r = dccTwin('validate', `scenarios/${s}.yaml`);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`scenarios/${s}.yaml: ok`));
    }
  });

  it('lists every problem of a bad scenario with file, line and key, exit 2', () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'seed: 1\nestate:\n  hubs: -5\n  regions: { north: 0.5, east: 0.5 }\nduration: 0\n');
    const r = dccTwin('validate', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}:3:9: estate.hubs:`);
    expect(r.err).toContain(`${bad}:4:`);
    expect(r.err).toContain('estate.regions.east');
    expect(r.err).toContain(`${bad}:5:`);
    noStack(r.err);
  });

  it('says a scenario file is missing', () => {
    const r = dccTwin('run', 'scenarios/no-such.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no-such\.yaml.*no such file/);
    noStack(r.err);
  });

  it('reports an unwritable --out before any work, exit 1 (the environment)', () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = dccTwin('run', 'scenarios/quiet-day-small.yaml', '--out', path.join(file, 'run'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot create run directory .*a-file\/run: a part of the path is a file/);
    expect(r.out).toBe('');
    noStack(r.err);
  });

  it('refuses a bad --until and an unknown command', () => {
    const u = dccTwin('run', 'scenarios/quiet-day-small.yaml', '--until', 'soon');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/--until/);
    noStack(u.err);
    // a run that would never end is refused as the scenario's own duration would be
    const long = dccTwin('run', 'scenarios/quiet-day-small.yaml', '--until', '1000000000h');
    expect(long.code).toBe(2);
    expect(long.err).toBe('error: --until: must be at most 366d, as a scenario\'s duration (got "1000000000h")\n');
    const c = dccTwin('frobnicate');
    expect(c.code).toBe(2);
    noStack(c.err);
  });

  it('prints the scenario JSON Schema it validates with', () => {
    const r = dccTwin('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(path.join(root, 'scenarios/scenario.schema.json'), 'utf8')));
  });

  it('runs a scenario into a run directory and summarises it', () => {
    const out = path.join(tmp, 'quiet');
    const r = dccTwin('run', 'scenarios/quiet-day-small.yaml', '--out', out, '--seed', '5', '--until', '6h', '--no-report');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/run quiet-day-small \(seed 5\)/);
    expect(r.out).toMatch(/events\s+\d+/);
    expect(r.out).toMatch(/memory peak/);
    expect(r.out).toMatch(/feeds\/dsp-ast\.jsonl\s+\d+ records/);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(5);
    expect(manifest.durationMs).toBe(6 * 3_600_000);
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('feeds/csp-north-rni.jsonl');
  });

  it('has --help on every command', () => {
    for (const cmd of [[], ['run'], ['validate'], ['schema'], ['report']]) {
      const r = dccTwin(...cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/dcc-twin/);
    }
  });
});
