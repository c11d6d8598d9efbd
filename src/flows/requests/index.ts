/**
 * The service request flow of one run, wired from the scenario: the journey,
 * its recorder, the independent request streams and the business processes. A scenario without a `requests`
 * section has no request traffic; its audit trail is written, empty.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RandomStreams } from '../../engine/random.js';
import type { Estate } from '../../estate/index.js';
import type { Network } from '../../network/index.js';
import type { Scenario } from '../../scenario/types.js';
import { RequestJourney, type FailureAlerts, type RequestRecorder } from './journey.js';
import type { AlertJourney } from '../alerts/journey.js';
import { codeIndex } from '../alerts/routing.js';
import type { JourneyRows } from './recorder-ops.js';
import { RequestTraffic } from './traffic.js';
import { RegionHubs } from '../region-hubs.js';
import { BusinessProcesses } from './processes.js';

export { RequestJourney } from './journey.js';
export { RequestTraffic } from './traffic.js';
export { RequestFeedRecorder, type RequestRows } from './recorder.js';
export { BusinessProcesses } from './processes.js';

export interface RequestFlow {
  journey: RequestJourney;
  traffic: RequestTraffic | null;
  processes: BusinessProcesses | null;
}

/** A request recorder: its shipping half, or the feeds' own behind a one-row replica (both in recorder-ops.ts). */
export interface AttachableRequestRecorder extends RequestRecorder {
  attach(journey: JourneyRows): void;
}

export function wireRequests(
  sim: Simulator, net: Network, estate: Estate, scenario: Scenario, recorder: AttachableRequestRecorder, streams: RandomStreams,
  alerts: AlertJourney,
  regionHubs = new RegionHubs(estate),
): RequestFlow {
  const n12 = codeIndex('N12');
  const n13 = codeIndex('N13');
  const failures: FailureAlerts = {
    raise: (timeout, hub, device, user, request) => alerts.raiseRequestFailure(timeout ? n13 : n12, hub, device, user, request),
  };
  const journey = new RequestJourney(
    sim,
    net,
    { hubS1sp: estate.hubS1sp, hubRepId: estate.hubRepId, isPowered: (h) => estate.isPowered(h), isCommissioned: (h) => estate.isCommissioned(h) },
    recorder,
    scenario.requests?.secmp0053 ?? false,
    failures,
  );
  recorder.attach(journey);
  const traffic = scenario.requests
    ? new RequestTraffic(sim, estate, net, journey, scenario.requests.traffic, streams, scenario.epoch, scenario.duration, regionHubs)
    : null;
  const processes = scenario.requests
    ? new BusinessProcesses(sim, estate, net, journey, scenario.requests, scenario.serviceUsers.map((u) => u.id), streams, scenario.epoch, scenario.duration, regionHubs)
    : null;
  return { journey, traffic, processes };
}
