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

/** A window of an outage, with the outageMode it overrides (default: the component's). */
export interface OutageSpan {
  start: number;
  end: number;
  mode?: OutageMode;
}

/** Outages from elsewhere than the scenario's componentOutage and serviceUserOutage events (src/flows/outages/plan.ts). */
export interface ExtraOutages {
  componentWindows: ReadonlyMap<ComponentName, readonly OutageSpan[]>;
  gatewayWindows: ReadonlyMap<string, readonly OutageSpan[]>;
}

function componentOutages(scenario: Scenario, component: ComponentName, extra: readonly OutageSpan[]) {
  const spans: OutageSpan[] = [
    ...scenario.events.flatMap((e) =>
      e.type === 'componentOutage' && e.component === component ? [{ start: e.at, end: e.at + e.duration, ...(e.mode ? { mode: e.mode } : {}) }] : [],
    ),
    ...extra,
  ];
  const def: OutageMode = scenario.components[component].outageMode;
  const windows = new OutageWindows(spans);
  const modeAt = (t: number): OutageMode => {
    for (const e of spans) if (t >= e.start && t < e.end) return e.mode ?? def;
    return def;
  };
  return new OutageGate(windows, modeAt);
}

/** `hubCount`: the estate's hubs, each with its own SDK clock; `extra`: outages drawn by the outage flow. */
export function buildNetwork(scenario: Scenario, streams: RandomStreams, hubCount: number, extra?: ExtraOutages): Network {
  const c = scenario.components;
  const gate = (name: ComponentName) => componentOutages(scenario, name, extra?.componentWindows.get(name) ?? []);
  const csp = (name: CspName) => new Csp(name, c[name], streams, gate(name));
  // The S1SP outage event covers every SMETS1 Service Provider: they share one gate.
  const s1Gate = gate('s1sp');
  const s1sps: S1sp[] = [];
  for (let i = 0; i < scenario.estate.s1sps; i++) s1sps.push(new S1sp(s1spId(i), c.s1sp, streams, s1Gate));
  const serviceUsers = scenario.serviceUsers.map((u, i) => {
    const windows = new OutageWindows([
      ...scenario.events.flatMap((e) => (e.type === 'serviceUserOutage' && e.user === u.id ? [{ start: e.at, end: e.at + e.duration }] : [])),
      ...(extra?.gatewayWindows.get(u.id) ?? []),
    ]);
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
    dsp: new Dsp(c.dsp, streams, serviceUsers.length, gate('dsp')),
    serviceUsers,
    operatorOfArea,
    supplierUsers,
  };
}
