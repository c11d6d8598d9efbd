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

export async function measuredRun(scenario: Scenario, prefix: string): Promise<{ r: RunResult; peakRssBytes: number; feedBytes: number }> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), `dcc-twin-${prefix}-`));
  let peak = process.memoryUsage().rss;
  try {
    const r = await runTwin(scenario, {
      outDir,
      onProgress: () => {
        const rss = process.memoryUsage().rss;
        if (rss > peak) peak = rss;
      },
    });
    return { r, peakRssBytes: Math.max(peak, process.memoryUsage().rss), feedBytes: r.files.reduce((a, f) => a + f.bytes, 0) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
