/**
 * A working day of Service Requests on a large estate: the default request
 * mix (about 4 requests a hub a day, src/scenario/requests.ts) and the
 * default alert background, every feed written, DUIS bodies off. Prints
 * events, messages (feed records) and requests per second and peak memory.
 *
 *   npm run bench -- requests            200,000 hubs
 *   npm run bench -- working-day-2m      2,000,000 hubs, about a tenth of GB (target: under 60 s)
 *   npm run bench -- gb-day              all of GB: 20 million SMETS2 hubs and the SMETS1 ones (not in the default set;
 *                                        its feeds, some 160 GB, are spelled and hashed but not stored; the Users'
 *                                        throttle and gateways sized for a national estate)
 *   node dist/bench/requests.js 1000000  another estate size
 */
import { pathToFileURL } from 'node:url';
import { parseScenario } from '../src/scenario/load.js';
import { measuredRun } from './measure.js';

/** A tenth of GB's hubs (DOMAIN.md, "Scale"). */
export const WORKING_DAY_HUBS = 2_000_000;
/** About 20 million SMETS2 hubs (DOMAIN.md, "Scale") at the default SMETS2 share of 0.7 (src/scenario/defaults.ts), with the SMETS1 rest. */
export const GB_DAY_HUBS = 28_600_000;

export interface RequestsBenchResult {
  hubs: number;
  /** Feed records written (every file): the messages the metrics pipeline receives. */
  messages: number;
  requests: number;
  events: number;
  wallSeconds: number;
  /** CPU seconds of every thread. */
  cpuSeconds: number;
  peakRssBytes: number;
  feedBytes: number;
}

/**
 * Each User's DSP throttle and gateway capacity on a national estate (messages a second).
 * The defaults (500 and 2,000 a second, src/network/dsp.ts and service-user.ts) are sized for
 * storms on regional estates. On all of GB the largest supplier (30% of the market) receives
 * about 2,000 Service Responses a second in the overnight read burst (the 01:00 hour carries a
 * third of the scheduled reads, src/scenario/requests.ts): at the defaults its throttle would
 * hold its ordinary reads for hours, a backlog of some 4 million messages an hour that no
 * national day shows. The GB day sizes both well above that peak.
 */
export const NATIONAL_USER_CAPACITY_PER_SECOND = 10_000;

/**
 * `discardFeeds`: every feed spelled and hashed, none stored (all of GB writes more than the disk holds).
 * `national`: the Users' throttle and gateways sized for a national estate (NATIONAL_USER_CAPACITY_PER_SECOND).
 */
export async function benchRequests(hubs = 200_000, discardFeeds = false, national = false): Promise<RequestsBenchResult> {
  const scenario = parseScenario(`seed: 11\nduration: 1d\nestate: { hubs: ${hubs} }\nrequests: {}\n`, 'bench-requests.yaml');
  scenario.output.duisBodies = false;
  if (national) {
    scenario.components.dsp.throttlePerUserPerSecond = NATIONAL_USER_CAPACITY_PER_SECOND;
    for (const u of scenario.serviceUsers) u.capacityPerSecond = NATIONAL_USER_CAPACITY_PER_SECOND;
  }
  const { r, peakRssBytes, feedBytes, cpuSeconds } = await measuredRun(scenario, 'requests', discardFeeds);
  const messages = r.files.reduce((a, f) => a + f.records, 0);
  return { hubs: r.hubs, requests: r.requests.answered, events: r.events, wallSeconds: r.wallSeconds, cpuSeconds, peakRssBytes, feedBytes, messages };
}

export function printRequests(r: RequestsBenchResult, targetSeconds?: number): void {
  console.log(
    `requests (a working day, ${r.hubs.toLocaleString('en-GB')} hubs; DUIS bodies off): ${r.wallSeconds.toFixed(1)} s wall (${r.cpuSeconds.toFixed(1)} s CPU), ` +
      `${r.requests.toLocaleString('en-GB')} requests (${(r.requests / r.wallSeconds / 1e3).toFixed(1)}k/s), ` +
      `${r.events.toLocaleString('en-GB')} events (${(r.events / r.wallSeconds / 1e6).toFixed(2)} M/s), ` +
      `${r.messages.toLocaleString('en-GB')} messages (${(r.messages / r.wallSeconds / 1e3).toFixed(0)}k/s), ` +
      `${(r.feedBytes / 2 ** 20).toFixed(0)} MiB of feeds, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  if (targetSeconds !== undefined) {
    console.log(`target: under ${targetSeconds} s: ${r.wallSeconds < targetSeconds ? 'PASS' : 'FAIL'} (${r.wallSeconds.toFixed(1)} s)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printRequests(await benchRequests(process.argv[2] ? Number(process.argv[2]) : undefined));
}
