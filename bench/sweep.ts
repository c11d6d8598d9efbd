/**
 * A capacity sweep's throughput: 8 storm sizes x 3 DSP throttle rates x 5
 * replications = 120 runs of storm-small.yaml's shape at 10,000 hubs (two
 * simulated hours, a North Scotland outage; a run and its report take a
 * couple of seconds), first on the local worker processes, then through
 * Redis with two `dcc-twin worker`s on this machine. Prints the wall time,
 * the sum of the runs' own times and wall / (sum / workers): 1 would be
 * perfect sharing; the targets are < 1.2 locally and < 1.3 through Redis.
 * The Redis half is skipped, saying so, without redis-server.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSweep, runSweep, type SweepResult } from '../src/sweep/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SWEEP = `name: bench-sweep
base: base.yaml
seed: 1
replications: 5
grid:
  events[0].share: [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1]
  components.dsp.throttlePerUserPerSecond: [2, 5, 500]
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function print(what: string, r: SweepResult, workers: number, target: number): void {
  const ratio = r.wallSeconds / (r.runSeconds / workers);
  const failed = r.records.filter((x) => x.status === 'failed').length;
  console.log(
    `sweep ${what}: ${r.ran} runs (${failed} failed) in ${r.wallSeconds.toFixed(1)} s wall, sum of run times ${r.runSeconds.toFixed(1)} s, ` +
      `wall / (sum / ${workers} workers) = ${ratio.toFixed(2)}; table and report ${r.tableSeconds.toFixed(1)} s`,
  );
  console.log(`target: ${what} wall / (sum / workers) < ${target}: ${ratio < target ? 'PASS' : 'FAIL'} (${ratio.toFixed(2)})`);
}

export async function benchSweep(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-bench-sweep-'));
  try {
    const base = fs.readFileSync(path.join(root, 'scenarios/storm-small.yaml'), 'utf8').replace(/hubs: 20000/, 'hubs: 10000');
    fs.writeFileSync(path.join(tmp, 'base.yaml'), base);
    fs.writeFileSync(path.join(tmp, 'sweep.yaml'), SWEEP);
    const plan = loadSweep(path.join(tmp, 'sweep.yaml'));
    const workers = os.availableParallelism();
    console.log(`sweep: ${plan.points.length} points (8 storm sizes x 3 throttle rates) x ${plan.replications} replications of a 10,000-hub, 2 h storm`);
    print(`on ${workers} local workers`, await runSweep(plan, { out: path.join(tmp, 'local'), resume: false, keepFeeds: false, workers }), workers, 1.2);

    if (spawnSync('redis-server', ['--version']).status !== 0) {
      console.log('sweep through Redis: skipped (redis-server is not installed: apt-get install redis-server)');
      return;
    }
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    const cli = path.join(root, 'dist/src/cli/main.js');
    const queueWorkers = [0, 1].map(() => spawn(process.execPath, [cli, 'worker', '--queue', url, '--workers', '1'], { stdio: 'ignore' }));
    try {
      const r = await runSweep(plan, { out: path.join(tmp, 'queued'), resume: false, keepFeeds: false, queue: url });
      print('through Redis, 2 workers', r, 2, 1.3);
    } finally {
      for (const w of queueWorkers) w.kill('SIGTERM');
      redis.kill('SIGTERM');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchSweep();
