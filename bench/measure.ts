/**
 * One measured run for the benchmarks: the scenario into a temporary run
 * directory (removed afterwards), with the process's peak RSS sampled between
 * kernel slices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Scenario } from '../src/scenario/types.js';
import { runTwin, type RunResult } from '../src/twin.js';

/** `discardFeeds`: spell and hash every feed but store none (a run whose feeds would not fit on the disk). */
export async function measuredRun(scenario: Scenario, prefix: string, discardFeeds = false): Promise<{ r: RunResult; peakRssBytes: number; feedBytes: number; cpuSeconds: number }> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `dcc-twin-${prefix}-`));
  let peak = process.memoryUsage.rss();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let shown = t0;
  try {
    const r = await runTwin(scenario, {
      outDir,
      discardFeeds,
      // As `run --no-report` writes them: nothing reads them back.
      directWrites: true,
      onProgress: (p) => {
        const rss = process.memoryUsage.rss();
        if (rss > peak) peak = rss;
        // A line every half minute for the long ones.
        const now = performance.now();
        if (now - shown > 30_000) {
          shown = now;
          process.stderr.write(`  ${prefix}: ${((100 * p.simNow) / p.simEnd).toFixed(0)}% of simulated time, ${p.events.toLocaleString('en-GB')} events, ${((now - t0) / 1000).toFixed(0)} s, RSS ${(rss / 2 ** 30).toFixed(2)} GiB\n`);
        }
      },
    });
    const cpu = process.cpuUsage(cpu0);
    // CPU of every thread (simulation, feeds, writers): steadier than wall time on a shared machine.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { r, peakRssBytes: Math.max(peak, process.memoryUsage.rss()), feedBytes: r.files.reduce((a, f) => a + f.bytes, 0), cpuSeconds };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
