/**
 * A working day of Service Requests on a large estate: the default request
 * mix (about 4 requests a hub a day, src/scenario/requests.ts) and the
 * default alert background, every feed written, DUIS bodies off. Prints
 * events per second, requests per second and peak memory.
 *
 *   npm run bench -- requests            200,000 hubs
 *   node dist/bench/requests.js 1000000  another estate size
 */
import { pathToFileURL } from 'node:url';
import { parseScenario } from '../src/scenario/load.js';
import { measuredRun } from './measure.js';

export interface RequestsBenchResult {
  hubs: number;
  requests: number;
  events: number;
  wallSeconds: number;
  peakRssBytes: number;
  feedBytes: number;
}

export async function benchRequests(hubs = 200_000): Promise<RequestsBenchResult> {
  const scenario = parseScenario(`seed: 11\nduration: 1d\nestate: { hubs: ${hubs} }\nrequests: {}\n`, 'bench-requests.yaml');
  scenario.output.duisBodies = false;
  const { r, peakRssBytes, feedBytes } = await measuredRun(scenario, 'requests');
  return { hubs: r.hubs, requests: r.requests.answered, events: r.events, wallSeconds: r.wallSeconds, peakRssBytes, feedBytes };
}

export function printRequests(r: RequestsBenchResult): void {
  console.log(
    `requests (a working day, ${r.hubs.toLocaleString('en-GB')} hubs; DUIS bodies off): ${r.wallSeconds.toFixed(1)} s wall, ` +
      `${r.requests.toLocaleString('en-GB')} requests (${(r.requests / r.wallSeconds / 1e3).toFixed(1)}k/s), ` +
      `${r.events.toLocaleString('en-GB')} events (${(r.events / r.wallSeconds / 1e6).toFixed(2)} M/s), ` +
      `${(r.feedBytes / 2 ** 20).toFixed(0)} MiB written, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printRequests(await benchRequests(process.argv[2] ? Number(process.argv[2]) : undefined));
}
