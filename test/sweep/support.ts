/**
 * What the sweep tests share: the command line, run as a user runs it, and
 * the metrics.json of each run of a sweep directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = path.join(root, 'dist/src/cli/main.js');
/** 2 points x 1 replication of a 5,000-hub, one-hour storm. */
export const one = path.join(root, 'test/sweep/fixtures/tiny-one.yaml');
export const ONE_RUNS = ['p001-r1', 'p002-r1'];

/**
 * How long a sweep test may take: a few seconds on a quiet machine, but a
 * sweep is processes, and on a shared, loaded machine they wait their turn.
 */
export const SWEEP_TEST_TIMEOUT = 300_000;

export function dcc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function start(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, output: () => out, exit };
}

export function metricsOf(dir: string): Record<string, string> {
  const read = (r: string) => (fs.existsSync(path.join(dir, 'runs', r, 'metrics.json')) ? fs.readFileSync(path.join(dir, 'runs', r, 'metrics.json'), 'utf8') : '');
  return Object.fromEntries(ONE_RUNS.map((r) => [r, read(r)]));
}

export async function until(cond: () => boolean, ms = SWEEP_TEST_TIMEOUT): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
