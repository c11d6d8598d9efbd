/**
 * What a run is built on before any event: the estate, the outage plan, the
 * network and the run's ids, all from the scenario and its seed. The
 * simulation thread builds it to run on; the feeds thread (src/twin-thread.ts)
 * builds the same again to spell records from, so the two agree without
 * sharing memory.
 */
import { RandomStreams } from './engine/random.js';
import { buildEstate, type Estate } from './estate/index.js';
import { buildNetwork, type Network } from './network/index.js';
import { NETWORK_OPERATOR_AREAS } from './dcc/areas.js';
import { RunIds, runNamespace } from './dcc/ids.js';
import { planOutages, type OutagePlan } from './flows/outages/index.js';
import type { Scenario } from './scenario/types.js';

export interface World {
  streams: RandomStreams;
  estate: Estate;
  outagePlan: OutagePlan;
  net: Network;
  ids: RunIds;
}

/** The scenario as resolved, seed included, without where it was read from: what the run's id namespace comes from. */
export function resolvedText(scenario: Scenario): string {
  const { source: _source, ...resolved } = scenario;
  return JSON.stringify(resolved);
}

export function buildWorld(scenario: Scenario): World {
  const streams = new RandomStreams(scenario.seed);
  const supplierShares = scenario.serviceUsers.filter((u) => u.role === 'supplier').map((u) => u.marketShare);
  const estate = buildEstate(scenario.estate, scenario.seed, NETWORK_OPERATOR_AREAS, supplierShares);
  // Outages are drawn first: the network's gates are built with them.
  const outagePlan = planOutages(scenario, streams);
  const net = buildNetwork(scenario, streams, estate.hubCount, outagePlan);
  const ids = new RunIds(runNamespace(resolvedText(scenario)));
  return { streams, estate, outagePlan, net, ids };
}
