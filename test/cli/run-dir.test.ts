/**
 * Run directories that never lie, as a user meets them through the built
 * CLI in child processes: a run replaces its directory whole and only when
 * complete; interrupts (real SIGINT, SIGTERM, SIGKILL) and failures leave the
 * previous run as it was; a lock keeps two commands apart; `report` checks
 * the directory against its manifest first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(root, 'dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-rundir-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function dccTwin(...args: string[]): Done {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** A CLI child left running; `done` settles when it exits. */
function start(...args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: tmp });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  const done = new Promise<Done>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}

/** Waits (at most 15 s) until `test` holds. */
async function until(what: string, test: () => boolean): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);
const at = (...p: string[]) => path.join(tmp, ...p);
const read = (...p: string[]) => fs.readFileSync(at(...p), 'utf8');
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const besideNames = (dir: string) => fs.readdirSync(tmp).filter((n) => n.startsWith(`.${dir}.`));
const filesIn = (dir: string): string[] =>
  fs.readdirSync(at(dir), { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(at(dir), path.join(e.parentPath, e.name)))
    .sort();

function scenario(name: string, body: string): string {
  fs.writeFileSync(at(`${name}.yaml`), `name: ${name}\n${body}`);
  return `${name}.yaml`;
}
// A: every output; B: small, no ground truth; BIG: a storm that runs for some seconds.
const A = scenario('alpha', 'seed: 1\nduration: 3h\nestate: { hubs: 1500 }\nevents:\n  - { type: powerOutage, at: 1h, areas: [17], duration: 45m }\n');
const B = scenario('beta', 'seed: 2\nduration: 2h\nestate: { hubs: 400 }\noutput: { groundTruth: false }\n');
const BIG = scenario(
  'big',
  'seed: 3\nduration: 2h\nestate: { hubs: 200000 }\nevents:\n  - { type: powerOutage, at: 5m, regions: [north, central, south, smets1], share: 0.9, duration: 30m, restorationSpread: 5m }\n',
);

/** Waits until a run into `dir` is writing feeds in its staging directory, and returns that directory. */
async function midRun(dir: string, pid: number): Promise<string> {
  const staging = at(`.${dir}.partial-${pid}`);
  await until('feeds in the staging directory', () => {
    try {
      return fs.statSync(path.join(staging, 'feeds/dsp-ast.jsonl')).size > 0;
    } catch {
      return false;
    }
  });
  return staging;
}

describe.skipIf(!fs.existsSync(cli))('run directories (built CLI)', () => {
  it('a second run replaces the first whole: no feeds, truth or report of the first are left', () => {
    expect(dccTwin('run', A, '--out', 'd1').code).toBe(0);
    expect(filesIn('d1')).toContain('feeds/duis/DNO-SSEN.ndxml');
    expect(filesIn('d1')).toContain('report.md');
    // the report, written before the staging directory moves into place, names the target
    expect(read('d1', 'report.md')).toContain('Run directory: `d1`');
    expect(JSON.parse(read('d1', 'metrics.json')).run.dir).toBe('d1');
    const r = dccTwin('run', B, '--out', 'd1', '--no-duis', '--no-report');
    expect(r.code, r.err).toBe(0);
    const manifest = JSON.parse(read('d1', 'manifest.json'));
    expect(manifest.scenario.name).toBe('beta');
    // exactly the files the manifest lists, and nothing of alpha's
    expect(filesIn('d1')).toEqual(['manifest.json', ...manifest.files.map((f: { path: string }) => f.path)].sort());
    expect(filesIn('d1')).not.toContain('ground-truth.jsonl');
    expect(besideNames('d1')).toEqual([]);
    const rep = dccTwin('report', 'd1');
    expect(rep.code, rep.err).toBe(0);
    expect(read('d1', 'report.md')).toMatch(/^# .*beta/);
    expect(read('d1', 'report.md')).not.toContain('Not verified');
    expect(JSON.parse(read('d1', 'metrics.json')).run.verified).toBe(true);
  });

  it('SIGINT mid-run leaves the previous run as it was, removes the unfinished one, exit 130', async () => {
    expect(dccTwin('run', B, '--out', 'd2', '--no-report').code).toBe(0);
    const before = read('d2', 'manifest.json');
    const run = start('run', BIG, '--out', 'd2', '--no-report');
    await midRun('d2', run.child.pid!);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/interrupted \(SIGINT\): d2 is as it was; the unfinished run was removed/);
    noStack(r.err);
    expect(read('d2', 'manifest.json')).toBe(before);
    expect(besideNames('d2')).toEqual([]);
    expect(dccTwin('report', 'd2').code).toBe(0);
  });

  it('after SIGKILL the unfinished run is visibly partial, and the next run clears it and says so', async () => {
    expect(dccTwin('run', B, '--out', 'd3', '--no-report').code).toBe(0);
    const before = read('d3', 'manifest.json');
    const run = start('run', BIG, '--out', 'd3', '--no-report');
    const pid = run.child.pid!;
    const staging = await midRun('d3', pid);
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(staging, 'feeds'))).toBe(true);
    expect(fs.existsSync(path.join(staging, 'manifest.json'))).toBe(false);
    expect(read('d3', 'manifest.json')).toBe(before);
    // the old run still reports (its lock is taken over), then a new run clears the leftovers
    const rep = dccTwin('report', 'd3');
    expect(rep.code, rep.err).toBe(0);
    expect(rep.err).toContain(`took over the lock .d3.lock of process ${pid}`);
    const again = dccTwin('run', B, '--out', 'd3', '--no-report', '--seed', '9');
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain(`removed .d3.partial-${pid}, left unfinished by process ${pid}`);
    expect(besideNames('d3')).toEqual([]);
    expect(JSON.parse(read('d3', 'manifest.json')).seed).toBe(9);
  });

  it('two commands on one run directory at once: the second fails at once naming the first, exit 1', async () => {
    const run = start('run', BIG, '--out', 'd4', '--no-report');
    await until('the lock', () => fs.existsSync(at('.d4.lock')));
    const second = dccTwin('run', B, '--out', 'd4', '--no-report');
    expect(second.code).toBe(1);
    expect(second.err).toBe(`error: d4 is in use by process ${run.child.pid} (lock .d4.lock); try again when it has finished\n`);
    const rep = dccTwin('report', 'd4');
    expect(rep.code).toBe(1);
    expect(rep.err).toContain(`in use by process ${run.child.pid}`);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.code).toBe(143);
    expect(r.err).toMatch(/interrupted \(SIGTERM\): d4 is as it was/);
    expect(fs.existsSync(at('d4'))).toBe(false);
    expect(besideNames('d4')).toEqual([]);
  });

  it('records the hash of the scenario text it ran, even if the file changes during the run', async () => {
    const text = read('alpha.yaml');
    fs.writeFileSync(at('edited.yaml'), text);
    const run = start('run', 'edited.yaml', '--out', 'd5', '--no-report');
    await until('the lock', () => fs.existsSync(at('.d5.lock')));
    fs.writeFileSync(at('edited.yaml'), text.replace('seed: 1', 'seed: 77'));
    const r = await run.done;
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(read('d5', 'manifest.json'));
    expect(m.seed).toBe(1);
    expect(m.scenario.sha256).toBe(sha(text));
  });

  it('refuses to replace a directory that is not a run directory, unless --force', () => {
    fs.mkdirSync(at('home', 'docs'), { recursive: true });
    fs.writeFileSync(at('home', 'docs', 'thesis.txt'), 'years of work');
    const r = dccTwin('run', B, '--out', 'home', '--no-report');
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: home is not empty and has no manifest.json, so it is not a run directory; refusing to replace it (--force replaces it whole)\n');
    expect(read('home', 'docs', 'thesis.txt')).toBe('years of work');
    expect(besideNames('home')).toEqual([]);
    const f = dccTwin('run', B, '--out', 'home', '--no-report', '--force');
    expect(f.code, f.err).toBe(0);
    expect(fs.existsSync(at('home', 'docs'))).toBe(false);
    expect(JSON.parse(read('home', 'manifest.json')).scenario.name).toBe('beta');
  });

  it('refuses an empty --out, the root and the current directory; checks --seed as the file does', () => {
    const before = fs.readdirSync(tmp).sort();
    for (const [out, msg] of [
      ['', 'error: --out: the run directory is an empty path'],
      ['/', 'error: --out /: the root directory cannot be a run directory'],
      ['..', 'error: --out ..: a run replaces its directory whole, so it cannot be the current directory or one above it'],
    ]) {
      const r = dccTwin('run', B, '--out', out, '--no-report');
      expect(r.code, out).toBe(2);
      expect(r.err).toContain(msg);
    }
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
    for (const seed of ['-3', '']) {
      fs.writeFileSync(at('seeded.json'), `{"seed": ${JSON.stringify(/^-?[\d.]+$/.test(seed) ? Number(seed) : seed)}}`);
      const file = dccTwin('validate', 'seeded.json');
      expect(file.code).toBe(2);
      const rule = file.err.replace(/^seeded\.json:\d+:\d+: seed: /, '').trim();
      const r = dccTwin('run', B, '--seed', seed, '--out', 'd6');
      expect(r.code, seed).toBe(2);
      expect(r.err).toBe(`error: --seed: ${rule}\n`);
    }
    expect(fs.existsSync(at('d6'))).toBe(false);
  });

  describe('report checks the run directory against its manifest first', () => {
    // (every kind of mismatch is in test/feeds/manifest.test.ts; here, as the user meets two)
    it.each([
      ['a feed grown', (d: string) => fs.appendFileSync(path.join(d, 'feeds/dsp-ast.jsonl'), '{}\n'), /feeds\/dsp-ast\.jsonl: \d+ bytes, manifest\.json says \d+/],
      ['a stray feed', (d: string) => fs.writeFileSync(path.join(d, 'feeds/duis/OTHER.ndxml'), ''), /feeds\/duis\/OTHER\.ndxml: not listed in manifest\.json/],
    ])('%s: refused, exit 2, naming the file', (_what, spoil, message) => {
      if (!fs.existsSync(at('whole'))) expect(dccTwin('run', A, '--out', 'whole', '--no-report').code).toBe(0);
      fs.rmSync(at('d7'), { recursive: true, force: true });
      fs.cpSync(at('whole'), at('d7'), { recursive: true });
      spoil(at('d7'));
      const r = dccTwin('report', 'd7');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(fs.existsSync(at('d7', 'report.md'))).toBe(false);
    });

    it('--no-verify reports feeds from elsewhere and says they were not verified', () => {
      fs.cpSync(path.join(root, 'fixtures/other-source'), at('other'), { recursive: true });
      const refused = dccTwin('report', 'other');
      expect(refused.code).toBe(2);
      expect(refused.err).toBe('error: other: no manifest.json, so not a run directory this tool wrote (--no-verify reports on feeds from elsewhere)\n');
      const r = dccTwin('report', 'other', '--no-verify');
      expect(r.code, r.err).toBe(0);
      expect(read('other', 'report.md')).toContain('Not verified');
      expect(read('other', 'report.html')).toContain('Not verified');
      expect(JSON.parse(read('other', 'metrics.json')).run.verified).toBe(false);
    });
  });

  describe('no stack trace, exit 1 for the environment', () => {
    it('a bad --sla: exit 2', () => {
      const r = dccTwin('report', 'd1', '--sla', 'abc');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^error: --sla: not a duration: "abc"/);
      noStack(r.err);
    });

    it('disk full while writing the report: exit 1 naming the file', () => {
      if (!fs.existsSync(at('whole'))) expect(dccTwin('run', A, '--out', 'whole', '--no-report').code).toBe(0);
      fs.cpSync(at('whole'), at('d9'), { recursive: true });
      fs.symlinkSync('/dev/full', at('d9', 'report.html'));
      const r = dccTwin('report', 'd9');
      expect(r.code).toBe(1);
      expect(r.err).toBe('error: cannot write d9/report.html: no space left on the device\n');
    });

    const canMount = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=8k tmpfs ${tmp}`]).status === 0;
    /** Runs a shell script in a private mount namespace with a tiny tmpfs at ./small (no trace of it outside). */
    const inSmallDisk = (options: string, script: string) =>
      spawnSync('unshare', ['-m', 'sh', '-c', `mkdir -p small && mount -t tmpfs -o ${options} tmpfs small && ${script}`], { cwd: tmp, encoding: 'utf8' });

    it.skipIf(!canMount)('disk full during a run: exit 1, the previous run as it was, nothing partial left', () => {
      const node = `${process.execPath} ${cli}`;
      const r = inSmallDisk(
        'size=128k',
        `${node} run ${B} --out small/run --no-report >/dev/null && ${node} run ${A} --out small/run --no-report; echo "rc=$?"; ` +
          `grep -c '"name": "beta"' small/run/manifest.json; ls -a small | tr '\\n' ' '; ${node} report small/run; echo "rc=$?"`,
      );
      expect(r.stdout).toBe('rc=1\n1\n. .. run rc=1\n');
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^error: cannot write small\/\.run\.partial-\d+\/.*: no space left on the device; small\/run is as it was$/);
      // and a report on it that does not fit: one line too
      expect(lines[1]).toMatch(/^error: cannot write small\/run\/metrics\.duckdb: .*No space left on device/);
      expect(lines).toHaveLength(2);
    });

    it.skipIf(!canMount)('a read-only run directory: run and report exit 1 with one line', () => {
      const node = `${process.execPath} ${cli}`;
      const r = inSmallDisk('size=1m', `${node} run ${B} --out small/run --no-report >/dev/null && mount -o remount,ro small && ${node} report small/run; echo "rc=$?"; ${node} run ${B} --out small/run; echo "rc=$?"`);
      expect(r.stdout).toBe('rc=1\nrc=1\n');
      expect(r.stderr).toMatch(/^error: cannot lock small\/run: .*read-only file system\nerror: cannot lock small\/run: .*read-only file system\n$/);
    });
  });
});
