/**
 * The live server under load: 50 WebSocket clients (bench/serve-clients.ts,
 * in a child process) during the 1-million-hub storm (scenarios/storm-1m.yaml,
 * DUIS bodies off) run by the server in its own process. Some clients take
 * every feed's records, some the DSP log only, some only the dashboard's
 * messages, and some stop reading at once. Prints the clients, records per
 * second delivered, what was dropped (the bounded buffers' policy,
 * src/server/channel.ts) and the server's peak RSS (target: under 1 GiB).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer } from '../src/server/app.js';

export interface ServeResult {
  clients: Record<string, number>;
  wallSeconds: number;
  recordsDelivered: number;
  recordsPerSecond: number;
  droppedRecords: number;
  droppedWindows: number;
  droppedSnapshots: number;
  peakRssBytes: number;
  alerts: number;
  /** The machine's load average over the last 5 minutes at the end: this machine is shared. */
  load: number;
}

export const CLIENTS = { all: 10, ast: 25, none: 10, stalled: 5 };

export async function benchServe(scenario = 'storm-1m'): Promise<ServeResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-serve-bench-'));
  const { app, runs, hub } = await buildServer({});
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const clientsJs = fileURLToPath(new URL('./serve-clients.js', import.meta.url));
    const child = spawn(process.execPath, [clientsJs, base.replace('http', 'ws') + '/api/stream', ...Object.entries(CLIENTS).map(([k, n]) => `${k}=${n}`)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('ready\n')) {
          clearInterval(t);
          resolve();
        }
      }, 20);
      child.once('exit', (code) => reject(new Error(`clients exited (${code}) before connecting`)));
    });
    const t0 = performance.now();
    const run = runs.start(path.resolve('scenarios', `${scenario}.yaml`), { scenario, duis: false });
    await run.done;
    const wallSeconds = (performance.now() - t0) / 1000;
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    const tallies = JSON.parse(out.split('\n').find((l) => l.startsWith('['))!) as Array<{ records: number }>;
    const recordsDelivered = tallies.reduce((n, t) => n + t.records, 0);
    const dropped = hub.dropped();
    const all = run.metrics?.a1.find((r) => r.region === 'All');
    return {
      clients: CLIENTS,
      wallSeconds,
      recordsDelivered,
      recordsPerSecond: recordsDelivered / wallSeconds,
      droppedRecords: dropped.records,
      droppedWindows: dropped.windows,
      droppedSnapshots: dropped.snapshots,
      peakRssBytes: Math.max(peak, process.memoryUsage().rss),
      alerts: all?.alerts ?? 0,
      load: os.loadavg()[1],
    };
  } finally {
    clearInterval(sample);
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function printServe(r: ServeResult): void {
  const n = Object.values(r.clients).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(r.clients).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(
    `serve: ${n} WebSocket clients (${kinds}) during the storm run by the server: ${r.wallSeconds.toFixed(1)} s wall, ` +
      `${r.alerts.toLocaleString('en-GB')} alerts, ${r.recordsDelivered.toLocaleString('en-GB')} records delivered (${(r.recordsPerSecond / 1e3).toFixed(0)}k/s), ` +
      `dropped ${r.droppedRecords.toLocaleString('en-GB')} records, ${r.droppedWindows} windows, ${r.droppedSnapshots} snapshots; ` +
      `server peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB (load average ${r.load.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  console.log(`target: server RSS under 1 GiB with ${n} clients: ${r.peakRssBytes < 2 ** 30 ? 'PASS' : 'FAIL'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printServe(await benchServe(process.argv[2]));
}
