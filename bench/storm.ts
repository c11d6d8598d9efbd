/**
 * The 1-million-hub power-outage storm (scenarios/storm-1m.yaml): last
 * gasps, AD1 from the CSPs, a restoration alert from every meter, every
 * feed written. Measured twice: DUIS bodies off (the target: under 30 s on
 * two cores) and on. Prints alerts per second, events per second and peak
 * memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { runTwin } from '../src/twin.js';

export interface StormResult {
  duis: boolean;
  hubs: number;
  hubsOff: number;
  alertsToUsers: number;
  events: number;
  wallSeconds: number;
  alertsPerSecond: number;
  eventsPerSecond: number;
  peakRssBytes: number;
  feedBytes: number;
  feedRecords: number;
  outDir: string;
}

/** `readBack`: the files are read right after (the metrics bench), so they are written as `run` with its report writes them. */
export async function benchStorm(duis: boolean, keepDir?: string, scenarioPath = 'scenarios/storm-1m.yaml', readBack = false): Promise<StormResult> {
  const scenario = loadScenario(scenarioPath);
  scenario.output.duisBodies = duis;
  const outDir = keepDir ?? mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-storm-'));
  let peak = process.memoryUsage.rss();
  const r = await runTwin(scenario, {
    outDir,
    directWrites: !readBack,
    onProgress: () => {
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
    },
  });
  peak = Math.max(peak, process.memoryUsage.rss());
  const alerts = r.alerts.delivered + r.alerts.failed + r.alerts.rejected;
  const result: StormResult = {
    duis,
    hubs: r.hubs,
    hubsOff: r.outages.hubsOff,
    alertsToUsers: alerts,
    events: r.events,
    wallSeconds: r.wallSeconds,
    alertsPerSecond: alerts / r.wallSeconds,
    eventsPerSecond: r.events / r.wallSeconds,
    peakRssBytes: peak,
    feedBytes: r.files.reduce((a, f) => a + f.bytes, 0),
    feedRecords: r.files.reduce((a, f) => a + f.records, 0),
    outDir,
  };
  if (!keepDir) rmSync(outDir, { recursive: true, force: true });
  return result;
}

export function printStorm(r: StormResult): void {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `storm (${r.hubsOff.toLocaleString('en-GB')} hubs off of ${r.hubs.toLocaleString('en-GB')}; DUIS bodies ${r.duis ? 'on' : 'off'}): ` +
      `${r.wallSeconds.toFixed(1)} s wall, ${r.alertsToUsers.toLocaleString('en-GB')} alerts (${(r.alertsPerSecond / 1e3).toFixed(0)}k/s), ` +
      `${r.events.toLocaleString('en-GB')} events (${(r.eventsPerSecond / 1e6).toFixed(2)} M/s), ${r.feedRecords.toLocaleString('en-GB')} records, ` +
      `${mb(r.feedBytes)} written, peak RSS ${mb(r.peakRssBytes)}`,
  );
  if (!r.duis) console.log(`target: storm with every feed (DUIS off) under 30 s: ${r.wallSeconds < 30 ? 'PASS' : 'FAIL'} (${r.wallSeconds.toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const duis = process.argv.includes('--duis');
  printStorm(await benchStorm(duis));
}
