/**
 * The event log on the 1-million-hub storm (scenarios/storm-1m.yaml, DUIS
 * bodies off, as bench/storm.ts runs it): the run without and with
 * --record (what recording costs), the log's size against the feeds'
 * (target: at least 5x smaller than the JSONL), and replay's time against
 * the run's (target: at least 3x faster), the replayed files checked
 * byte for byte against the run's through their SHA-256.
 *
 *   npm run bench -- replay
 *   node dist/bench/replay.js scenarios/other.yaml
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runTwin } from '../src/twin.js';
import { prepareRunDir } from '../src/feeds/sink.js';
import { buildManifest, readManifest, writeManifest } from '../src/feeds/manifest.js';
import { replayManifest } from '../src/record/replay.js';
import { replayFiles } from '../src/record/files.js';

export interface ReplayBenchResult {
  hubs: number;
  runSeconds: number;
  recordSeconds: number;
  replaySeconds: number;
  /** CPU seconds of each (every thread of the process): steadier than wall time on a shared machine. */
  runCpu: number;
  recordCpu: number;
  replayCpu: number;
  jsonlBytes: number;
  feedBytes: number;
  logBytes: number;
  identical: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** CPU seconds since `from` (process.cpuUsage()). */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

export async function benchReplay(scenarioPath = 'scenarios/storm-1m.yaml'): Promise<ReplayBenchResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-replay-'));
  try {
    const scenario = () => {
      const s = loadScenario(scenarioPath);
      s.output.duisBodies = false;
      return s;
    };
    let c = process.cpuUsage();
    const plain = await runTwin(scenario(), { outDir: path.join(tmp, 'plain'), directWrites: true });
    const runCpu = cpuSince(c);
    rmSync(path.join(tmp, 'plain'), { recursive: true, force: true });
    gc();
    const recDir = path.join(tmp, 'recorded');
    const log = path.join(tmp, 'run.twinlog');
    c = process.cpuUsage();
    const recorded = await runTwin(scenario(), { outDir: recDir, record: log, directWrites: true });
    const recordCpu = cpuSince(c);
    await writeManifest(recDir, { scenario: recorded.scenario, files: recorded.files.map((f) => f.path) });
    gc();

    const outDir = path.join(tmp, 'replayed');
    prepareRunDir(outDir);
    const t0 = performance.now();
    c = process.cpuUsage();
    const r = await replayFiles(log, outDir);
    await writeManifest(outDir, replayManifest(r, r.written));
    const replaySeconds = (performance.now() - t0) / 1000;
    const replayCpu = cpuSince(c);

    const want = readManifest(recDir).files;
    const got = buildManifest(outDir, { scenario: recorded.scenario, files: r.written }).files;
    const identical = JSON.stringify(want) === JSON.stringify(got);
    return {
      hubs: recorded.hubs,
      runSeconds: plain.wallSeconds,
      recordSeconds: recorded.wallSeconds,
      replaySeconds,
      runCpu,
      recordCpu,
      replayCpu,
      jsonlBytes: recorded.files.filter((f) => f.path.endsWith('.jsonl')).reduce((a, f) => a + f.bytes, 0),
      feedBytes: recorded.files.reduce((a, f) => a + f.bytes, 0),
      logBytes: statSync(log).size,
      identical,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function printReplay(r: ReplayBenchResult): void {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const ratio = r.jsonlBytes / r.logBytes;
  const speedup = r.runSeconds / r.replaySeconds;
  const cost = (r.recordSeconds / r.runSeconds - 1) * 100;
  console.log(
    `event log (${r.hubs.toLocaleString('en-GB')} hubs): log ${mb(r.logBytes)} for ${mb(r.jsonlBytes)} of JSONL (${mb(r.feedBytes)} of files); ` +
      `run ${r.runSeconds.toFixed(1)} s, with --record ${r.recordSeconds.toFixed(1)} s (${cost >= 0 ? '+' : ''}${cost.toFixed(0)}%), replay ${r.replaySeconds.toFixed(1)} s`,
  );
  console.log(`CPU seconds: run ${r.runCpu.toFixed(1)}, with --record ${r.recordCpu.toFixed(1)}, replay ${r.replayCpu.toFixed(1)} (on ${os.availableParallelism()} cores)`);
  console.log(`target: log at least 5x smaller than the JSONL feeds: ${ratio >= 5 ? 'PASS' : 'FAIL'} (${ratio.toFixed(1)}x)`);
  console.log(`target: replay at least 3x faster than the run: ${speedup >= 3 ? 'PASS' : 'FAIL'} (${speedup.toFixed(1)}x)`);
  console.log(`replayed files byte-identical to the run's: ${r.identical ? 'PASS' : 'FAIL'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printReplay(await benchReplay(process.argv[2]));
}
