/**
 * The outage flow of one run: the outage plan (drawn before the network is
 * built, so its DSP, CSP WAN, S1SP and gateway outages act on the network's
 * gates), the incidents raised from it and from other failures, and Install
 * and Leave, listening to the request journey for 8.14.2. At the end of the
 * run it writes what was known then (availability-events.jsonl,
 * incidents.jsonl, no-smwan-incidents.jsonl) and the truth beside the feeds
 * (outage-truth.jsonl, incident-truth.jsonl).
 */
import type { RandomStreams } from '../../engine/random.js';
import type { RunIds } from '../../dcc/ids.js';
import { mpanOf } from '../../dcc/ids.js';
import { REGION_LABELS } from '../../dcc/regions.js';
import { SERVICE_SEPARATOR, serviceName } from '../../dcc/services.js';
import { euiOfHub } from '../../estate/eui.js';
import type { Estate } from '../../estate/index.js';
import type { FeedSink, FeedWriter } from '../../feeds/sink.js';
import { formatTimestamp } from '../../dcc/time.js';
import { AVAILABILITY_EVENTS_PATH, serializeAvailabilityEvent, type AvailabilityEventRecord } from '../../feeds/availability-events.js';
import { OUTAGE_TRUTH_PATH, serializeOutageTruth } from '../../feeds/outage-truth.js';
import { INCIDENTS_PATH, INCIDENT_TRUTH_PATH, serializeIncident, type IncidentRecord } from '../../feeds/incidents.js';
import { NO_SMWAN_INCIDENTS_PATH, serializeNoSmwanIncident } from '../../feeds/no-smwan-incidents.js';
import type { Scenario } from '../../scenario/types.js';
import type { RequestJourney } from '../requests/journey.js';
import { raiseIncidents, type Incident } from './incidents.js';
import { InstallAndLeave } from './install-leave.js';
import type { OutagePlan, PlannedOutage } from './plan.js';

export { planOutages, type OutagePlan } from './plan.js';

export interface OutageCounts {
  outages: number;
  plannedMaintenance: number;
  incidents: number;
  noSmwanIncidents: number;
}

export class OutageFlow {
  private readonly incidents: Incident[];
  readonly installAndLeave: InstallAndLeave;
  readonly opened: Array<{ path: string; w: FeedWriter }> = [];

  constructor(
    private readonly scenario: Scenario,
    readonly plan: OutagePlan,
    streams: RandomStreams,
    private readonly estate: Estate,
    requests: RequestJourney,
  ) {
    this.incidents = raiseIncidents(scenario, plan, streams);
    this.installAndLeave = new InstallAndLeave(scenario.outages.installAndLeave, streams, estate.hubRegion);
    requests.onResponse = this.installAndLeave.onResponse;
  }

  get counts(): OutageCounts {
    const inRun = this.plan.outages.filter((o) => o.start < this.scenario.duration);
    return {
      outages: inRun.filter((o) => !o.planned).length,
      plannedMaintenance: inRun.filter((o) => o.planned).length,
      incidents: this.incidents.filter((i) => i.opened < this.scenario.duration).length,
      noSmwanIncidents: this.installAndLeave.incidents.filter((i) => i.submitted < this.scenario.duration).length,
    };
  }

  /** Writes the feeds as known at the run's end, and the truth. */
  write(sink: FeedSink, ids: RunIds): void {
    const end = this.scenario.duration;
    const ts = (ms: number): string => formatTimestamp(this.scenario.epoch + ms);
    const known = (ms: number): string | undefined => (ms <= end ? ts(ms) : undefined);
    const open = (path: string): FeedWriter => {
      const w = sink.open(path, 'jsonl');
      this.opened.push({ path, w });
      return w;
    };

    const outages = this.plan.outages.filter((o) => o.start < end);
    const events: Array<{ t: number; r: Omit<AvailabilityEventRecord, 'eventId' | 'timestamp'> }> = [];
    for (const o of outages) {
      if (o.detected === null || o.detected >= end) continue;
      const base = { outageId: ids.outageId(o.serial), subsystem: o.target, services: servicesOf(o), ...(o.subsystem?.region ? { region: o.subsystem.region } : {}) };
      events.push({ t: o.detected, r: { ...base, event: o.planned ? 'plannedMaintenanceStart' : 'down' } });
      if (o.end <= end) events.push({ t: o.end, r: { ...base, event: o.planned ? 'plannedMaintenanceEnd' : 'up' } });
    }
    events.sort((a, b) => a.t - b.t); // stable: outage order, down before up
    const av = open(AVAILABILITY_EVENTS_PATH);
    events.forEach((e, i) => av.write(serializeAvailabilityEvent({ eventId: ids.availabilityEventId(i + 1), timestamp: ts(e.t), ...e.r })));

    const truth = open(OUTAGE_TRUTH_PATH);
    for (const o of outages) {
      truth.write(
        serializeOutageTruth({
          outageId: ids.outageId(o.serial),
          subsystem: o.target,
          services: servicesOf(o),
          ...(o.subsystem?.region ? { region: o.subsystem.region } : {}),
          planned: o.planned,
          cause: o.cause,
          trueStartTimestamp: ts(o.start),
          trueEndTimestamp: ts(o.end),
          ...(o.detected !== null ? { detectedTimestamp: ts(o.detected) } : {}),
          ...(o.label !== undefined ? { label: o.label } : {}),
        }),
      );
    }

    const incidents = this.incidents.filter((i) => i.opened < end);
    const feed = open(INCIDENTS_PATH);
    const whole = open(INCIDENT_TRUTH_PATH);
    for (const i of incidents) {
      const base = this.incidentBase(i, ids);
      feed.write(
        serializeIncident({
          ...base,
          openedTimestamp: ts(i.opened),
          initialResponseTimestamp: known(i.initialResponse),
          resolvedTimestamp: known(i.resolved),
          closedTimestamp: known(i.closed),
          status: i.closed <= end ? 'closed' : i.resolved <= end ? 'resolved' : 'open',
        }),
      );
      whole.write(
        serializeIncident({
          ...base,
          openedTimestamp: ts(i.opened),
          initialResponseTimestamp: ts(i.initialResponse),
          resolvedTimestamp: ts(i.resolved),
          closedTimestamp: ts(i.closed),
          status: 'closed',
        }),
      );
    }

    const nsw = open(NO_SMWAN_INCIDENTS_PATH);
    const category = this.scenario.outages.installAndLeave.category;
    for (const n of this.installAndLeave.incidents) {
      if (n.submitted >= end) continue;
      const closed = n.closed <= end;
      nsw.write(
        serializeNoSmwanIncident({
          incidentId: ids.noSmwanIncidentId(n.serial),
          csp: REGION_LABELS[this.estate.hubRegion[n.hub]] as 'North' | 'Central' | 'South',
          category,
          submitDate: ts(n.submitted),
          GUID: euiOfHub(n.hub),
          MPxN: mpanOf(this.estate.hubArea[n.hub], n.hub),
          diagnosticsResult: n.diagnosticsResult,
          ...(n.exclusion ? { exclusion: n.exclusion } : {}),
          status: closed ? 'closed' : 'open',
          ...(closed ? { closedDate: ts(n.closed), outcome: n.outcome } : {}),
        }),
      );
    }
  }

  private incidentBase(i: Incident, ids: RunIds): Omit<IncidentRecord, 'openedTimestamp' | 'status'> {
    const target = this.scenario.outages.incidents.targets[i.category];
    return {
      incidentId: ids.incidentId(i.serial),
      category: i.category,
      resolverGroup: i.resolverGroup,
      smets: i.smets,
      source: i.source,
      ...(i.outage ? { outageId: ids.outageId(i.outage.serial), subsystem: i.outage.target } : {}),
      targetInitialResponseMs: target.initialResponse,
      targetResolutionMs: target.resolution,
    };
  }
}

function servicesOf(o: PlannedOutage): string {
  return (o.subsystem?.services ?? []).map(serviceName).join(SERVICE_SEPARATOR);
}
