/**
 * The network: every component built from the scenario, wired by name.
 * Components own their parameters (declared in their own files), random
 * streams, queues and outage windows; the flows move messages between them.
 */
import type { RandomStreams } from '../engine/random.js';
import { OutageGate, OutageWindows, type OutageMode } from '../engine/resources/index.js';
import { CSP_NAMES, type CspName } from '../dcc/regions.js';
import { s1spId } from '../dcc/ids.js';
import type { ComponentName, Scenario } from '../scenario/types.js';
import { CommsHub } from './comms-hub.js';
import { Csp } from './csp.js';
import { Dsp } from './dsp.js';
import { S1sp } from './s1sp.js';
import { ServiceUserGateway } from './service-user.js';

export * from './comms-hub.js';
export * from './csp.js';
export * from './dsp.js';
export * from './s1sp.js';
export * from './service-user.js';

export interface Network {
  commsHub: CommsHub;
  /** Indexed by region: north, central, south. */
  csps: [Csp, Csp, Csp];
  s1sps: S1sp[];
  dsp: Dsp;
  serviceUsers: ServiceUserGateway[];
  /** Network-operator User index per area id (MPAN distributor id), -1 if none. */
  operatorOfArea: Int16Array;
  /** User indices of the suppliers, in scenario order. */
  supplierUsers: number[];
}

function componentOutages(scenario: Scenario, component: ComponentName) {
  const events = scenario.events.flatMap((e) =>
    e.type === 'componentOutage' && e.component === component ? [e] : [],
  );
  const def: OutageMode = scenario.components[component].outageMode;
  const windows = new OutageWindows(events.map((e) => ({ start: e.at, end: e.at + e.duration })));
  const modeAt = (t: number): OutageMode => {
    for (const e of events) if (t >= e.at && t < e.at + e.duration) return e.mode ?? def;
    return def;
  };
  return new OutageGate(windows, modeAt);
}

/** `hubCount`: the estate's hubs, each with its own SDK clock. */
export function buildNetwork(scenario: Scenario, streams: RandomStreams, hubCount: number): Network {
  const c = scenario.components;
  const csp = (name: CspName) => new Csp(name, c[name], streams, componentOutages(scenario, name));
  // The S1SP outage event covers every SMETS1 Service Provider: they share one gate.
  const s1Gate = componentOutages(scenario, 's1sp');
  const s1sps: S1sp[] = [];
  for (let i = 0; i < scenario.estate.s1sps; i++) s1sps.push(new S1sp(s1spId(i), c.s1sp, streams, s1Gate));
  const serviceUsers = scenario.serviceUsers.map((u, i) => {
    const windows = new OutageWindows(
      scenario.events.flatMap((e) => (e.type === 'serviceUserOutage' && e.user === u.id ? [{ start: e.at, end: e.at + e.duration }] : [])),
    );
    return new ServiceUserGateway(i, u, streams, windows);
  });
  const operatorOfArea = new Int16Array(256).fill(-1);
  const supplierUsers: number[] = [];
  scenario.serviceUsers.forEach((u, i) => {
    if (u.role === 'networkOperator') for (const a of u.areas) operatorOfArea[a] = i;
    else supplierUsers.push(i);
  });
  return {
    commsHub: new CommsHub(c.commsHub, streams, hubCount),
    csps: CSP_NAMES.map(csp) as [Csp, Csp, Csp],
    s1sps,
    dsp: new Dsp(c.dsp, streams, serviceUsers.length, componentOutages(scenario, 'dsp')),
    serviceUsers,
    operatorOfArea,
    supplierUsers,
  };
}
