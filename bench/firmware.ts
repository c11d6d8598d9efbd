/**
 * A 5-day firmware campaign to a million ESMEs (scenarios/firmware-1m.yaml):
 * SRV 11.1 for each, the image in GBT blocks over every CSP, 8F72/8F1C
 * through the alert journey, SRV 11.3 through the request journey, every
 * feed written (DUIS bodies off, as in the storm benchmark). Target: under
 * 60 s on this project's 2-core machine. Prints wall time, events and peak RSS.
 */
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { measuredRun } from './measure.js';

export interface FirmwareBenchResult {
  devices: number;
  activated: number;
  events: number;
  wallSeconds: number;
  peakRssBytes: number;
  feedBytes: number;
  feedRecords: number;
}

export async function benchFirmware(scenarioPath = 'scenarios/firmware-1m.yaml'): Promise<FirmwareBenchResult> {
  const scenario = loadScenario(scenarioPath);
  scenario.output.duisBodies = false;
  const { r, peakRssBytes, feedBytes } = await measuredRun(scenario, 'firmware');
  return {
    devices: r.firmware?.targeted ?? 0,
    activated: r.firmware?.activated ?? 0,
    events: r.events,
    wallSeconds: r.wallSeconds,
    peakRssBytes,
    feedBytes,
    feedRecords: r.files.reduce((a, f) => a + f.records, 0),
  };
}

export function printFirmware(r: FirmwareBenchResult): void {
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `firmware (${r.devices.toLocaleString('en-GB')} devices targeted, ${r.activated.toLocaleString('en-GB')} activated, 5 days): ` +
      `${r.wallSeconds.toFixed(1)} s wall, ${r.events.toLocaleString('en-GB')} events (${(r.events / r.wallSeconds / 1e6).toFixed(2)} M/s), ` +
      `${r.feedRecords.toLocaleString('en-GB')} records, ${mb(r.feedBytes)} written, peak RSS ${mb(r.peakRssBytes)}`,
  );
  console.log(`target: 1M-device campaign with every feed under 60 s: ${r.wallSeconds < 60 ? 'PASS' : 'FAIL'} (${r.wallSeconds.toFixed(1)} s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printFirmware(await benchFirmware());
}
