/**
 * A month of a 1-million-hub estate's outages and incidents, and the
 * availability and incident figures computed from them: the outage flow
 * (random failures of every sub-system, scripted outages, Planned
 * Maintenance), a month of incidents in every category, Install and Leave
 * from the default 8.14.1 / 8.14.2 volumes, then the whole report (load,
 * Service Availability, CPM5, Install and Leave, detection). The alert
 * background is off: a month of it for a million hubs is the storm
 * benchmark's work a hundred times over, and no availability figure needs
 * it (the traffic-based detection then sees no traffic). Target: under 30 s.
 *
 *   npm run bench -- availability
 *   node dist/bench/availability.js 1000000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseScenario } from '../src/scenario/load.js';
import { runTwin } from '../src/twin.js';
import { runReport } from '../src/metrics/index.js';

export interface AvailabilityBenchResult {
  hubs: number;
  outages: number;
  incidents: number;
  noSmwanIncidents: number;
  requests: number;
  runSeconds: number;
  reportSeconds: number;
}

const scenarioText = (hubs: number): string => `
seed: 12
epoch: "2026-01-01T00:00:00Z"
duration: 31d
estate: { hubs: ${hubs} }
background: []
output: { duisBodies: false }
requests:
  traffic:
    - { srv: "8.14.1", perHubPerDay: 0.0005 }
    - { srv: "8.14.2", perHubPerDay: 0.00002 }
outages:
  random:
    - { subsystem: dsp, mtbf: 10d, mttr: { dist: lognormal, median: 20m, sigma: 0.6 } }
    - { subsystem: duiGateway, mtbf: 15d, mttr: { dist: lognormal, median: 30m, sigma: 0.6 } }
    - { subsystem: registrationDataInterface, mtbf: 20d, mttr: { dist: lognormal, median: 1h, sigma: 0.6 } }
    - { subsystem: smkiRepository, mtbf: 30d, mttr: { dist: lognormal, median: 1h, sigma: 0.6 } }
    - { subsystem: smkiServices, mtbf: 30d, mttr: { dist: lognormal, median: 1h, sigma: 0.6 } }
    - { subsystem: selfServicePortal, mtbf: 10d, mttr: { dist: lognormal, median: 45m, sigma: 0.6 } }
    - { subsystem: cspNorth, mtbf: 15d, mttr: { dist: lognormal, median: 40m, sigma: 0.6 } }
    - { subsystem: cspCentral, mtbf: 15d, mttr: { dist: lognormal, median: 40m, sigma: 0.6 } }
    - { subsystem: cspSouth, mtbf: 15d, mttr: { dist: lognormal, median: 40m, sigma: 0.6 } }
    - { subsystem: s1sp, mtbf: 10d, mttr: { dist: lognormal, median: 40m, sigma: 0.6 } }
    - { serviceUser: SUPPLIER-A, mtbf: 7d, mttr: { dist: lognormal, median: 30m, sigma: 0.6 } }
  incidents:
    perMonth: { "1": 1, "2": 4, "3": 60, "4": 200, "5": 120 }
events:
  - { type: plannedMaintenance, at: 6d1h, subsystem: smkiRepository, duration: 3h }
  - { type: plannedMaintenance, at: 20d2h, subsystem: selfServicePortal, duration: 2h }
`;

export async function benchAvailability(hubs = 1_000_000): Promise<AvailabilityBenchResult> {
  const scenario = parseScenario(scenarioText(hubs), 'bench-availability.yaml');
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-availability-')), 'run');
  try {
    const r = await runTwin(scenario, { outDir });
    const rep = await runReport(outDir);
    return {
      hubs: r.hubs,
      outages: r.availability.outages,
      incidents: r.availability.incidents,
      noSmwanIncidents: r.availability.noSmwanIncidents,
      requests: r.requests.answered,
      runSeconds: r.wallSeconds,
      reportSeconds: rep.seconds,
    };
  } finally {
    rmSync(path.dirname(outDir), { recursive: true, force: true });
  }
}

export function printAvailability(r: AvailabilityBenchResult): void {
  console.log(
    `availability (a month, ${r.hubs.toLocaleString('en-GB')} hubs, alert background off): ` +
      `${(r.runSeconds + r.reportSeconds).toFixed(1)} s (run ${r.runSeconds.toFixed(1)} s, report ${r.reportSeconds.toFixed(1)} s); ` +
      `${r.outages} unplanned outages, ${r.incidents} incidents, ${r.noSmwanIncidents} No-SMWAN incidents, ${r.requests.toLocaleString('en-GB')} 8.14.x requests`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printAvailability(await benchAvailability(process.argv[2] ? Number(process.argv[2]) : undefined));
}
