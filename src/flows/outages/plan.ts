/**
 * Every outage of a run, known before the kernel starts: the scripted ones
 * (componentOutage, serviceUserOutage, subsystemOutage and
 * plannedMaintenance events) and the random ones (exponential times between
 * failures, repair times from the scenario's distribution, each sub-system or
 * gateway from its own named stream outages/random/<name>). An outage does
 * not depend on the traffic, so the plan is drawn once and the network's
 * OutageGates are built from it: a DSP, CSP WAN or S1SP outage from here acts
 * on the same gate as a componentOutage event, and a gateway's on the User's
 * gateway windows, so the alert and request journeys hold or lose traffic
 * at it as the component's outageMode says.
 *
 * Detection: an unplanned outage is logged down `detectionDelay` after it
 * starts (one draw per outage from outages/detection, in start order), and
 * up when it ends; one that ends before it is detected is never logged.
 * Planned Maintenance is logged at its scheduled start and end.
 */
import { compile, exponential } from '../../engine/distributions.js';
import type { RandomStreams } from '../../engine/random.js';
import type { OutageMode } from '../../engine/resources/index.js';
import { PLANNED_MAINTENANCE_LIMIT_MS } from '../../dcc/services.js';
import type { ComponentName, Scenario } from '../../scenario/types.js';
import { COMPONENT_NAMES } from '../../scenario/schema.js';
import type { RegionLabel } from '../../dcc/regions.js';
import type { SubsystemConfig } from './params.js';

export type OutageCause = 'componentOutage' | 'serviceUserOutage' | 'subsystemOutage' | 'plannedMaintenance' | 'random';

export interface PlannedOutage {
  /** Serial in start order (ties: the order the scenario gives them), from 1. */
  serial: number;
  /** The sub-system's name, or `gateway:<User ID>`. */
  target: string;
  /** The sub-system (null for a Service User's gateway, which supports no DCC Service). */
  subsystem: SubsystemConfig | null;
  planned: boolean;
  /** True start and end, ms after the epoch (the end may lie after the run). */
  start: number;
  end: number;
  /** When it is logged down; null: restored before anyone noticed. */
  detected: number | null;
  cause: OutageCause;
  label?: string;
}

export interface OutageWindow {
  start: number;
  end: number;
  mode?: OutageMode;
}

export interface OutagePlan {
  outages: PlannedOutage[];
  /** Windows of the network's components that no componentOutage event already gives. */
  componentWindows: Map<ComponentName, OutageWindow[]>;
  /** Extra windows of Service User gateways (random failures), by User ID. */
  gatewayWindows: Map<string, OutageWindow[]>;
  warnings: string[];
}

export const GATEWAY_PREFIX = 'gateway:';

const isComponent = (name: string): name is ComponentName => COMPONENT_NAMES.includes(name);

/** The component whose traffic a region's outage stops. */
const REGION_COMPONENT: Record<RegionLabel, ComponentName> = { North: 'cspNorth', Central: 'cspCentral', South: 'cspSouth', SMETS1: 's1sp' };

/** The gate an outage of this target acts on, if any (see the top of this file). */
function gateOf(target: string, s: SubsystemConfig | null): ComponentName | null {
  if (isComponent(target)) return target;
  if (s === null || !s.services.includes('dccUserInterface')) return null;
  return s.region ? REGION_COMPONENT[s.region] : 'dsp';
}

/** Draws the run's outages from the scenario (`until`: the run's length, random failures start before it). */
export function planOutages(scenario: Scenario, streams: RandomStreams): OutagePlan {
  const cfg = scenario.outages;
  const byName = new Map(cfg.subsystems.map((s) => [s.name, s]));
  const raw: Array<Omit<PlannedOutage, 'serial' | 'detected'>> = [];
  for (const e of scenario.events) {
    const label = e.label !== undefined ? { label: e.label } : {};
    if (e.type === 'componentOutage') {
      raw.push({ target: e.component, subsystem: byName.get(e.component) ?? null, planned: false, start: e.at, end: e.at + e.duration, cause: e.type, ...label });
    } else if (e.type === 'serviceUserOutage') {
      raw.push({ target: GATEWAY_PREFIX + e.user, subsystem: null, planned: false, start: e.at, end: e.at + e.duration, cause: e.type, ...label });
    } else if (e.type === 'subsystemOutage' || e.type === 'plannedMaintenance') {
      raw.push({
        target: e.subsystem, subsystem: byName.get(e.subsystem) ?? null, planned: e.type === 'plannedMaintenance',
        start: e.at, end: e.at + e.duration, cause: e.type, ...label,
      });
    }
  }
  for (const r of cfg.random) {
    const target = r.subsystem ?? GATEWAY_PREFIX + r.serviceUser;
    const rng = streams.stream(`outages/random/${target}`);
    const repair = compile(r.mttr, rng);
    for (let t = Math.round(exponential(rng, r.mtbf)); t < scenario.duration; ) {
      const end = t + Math.max(1, Math.round(repair()));
      raw.push({ target, subsystem: r.subsystem ? byName.get(r.subsystem) ?? null : null, planned: false, start: t, end, cause: 'random' });
      t = end + Math.round(exponential(rng, r.mtbf));
    }
  }
  // Stable: scripted before random at the same instant, as listed.
  raw.sort((a, b) => a.start - b.start);
  const detect = compile(cfg.detectionDelay, streams.stream('outages/detection'));
  const outages: PlannedOutage[] = raw.map((o, i) => {
    let detected: number | null = o.start;
    if (!o.planned) {
      const at = o.start + Math.max(0, Math.round(detect()));
      detected = at < o.end ? at : null;
    }
    return { serial: i + 1, ...o, detected };
  });

  const componentWindows = new Map<ComponentName, OutageWindow[]>();
  const gatewayWindows = new Map<string, OutageWindow[]>();
  for (const o of outages) {
    if (o.cause === 'componentOutage' || o.cause === 'serviceUserOutage') continue; // the network reads those events itself
    if (o.target.startsWith(GATEWAY_PREFIX)) {
      const user = o.target.slice(GATEWAY_PREFIX.length);
      gatewayWindows.set(user, [...(gatewayWindows.get(user) ?? []), { start: o.start, end: o.end }]);
    } else {
      const gate = gateOf(o.target, o.subsystem);
      if (gate !== null) componentWindows.set(gate, [...(componentWindows.get(gate) ?? []), { start: o.start, end: o.end }]);
    }
  }
  return { outages, componentWindows, gatewayWindows, warnings: maintenanceWarnings(outages, scenario.epoch) };
}

/**
 * SEC Section H8 (seed 004, Requirement 3): Planned Maintenance of the DCC
 * Systems generally not more than six hours in any month. Counted per
 * calendar month (UTC) over the union of every sub-system's windows.
 */
function maintenanceWarnings(outages: PlannedOutage[], epoch: number): string[] {
  const windows = outages.filter((o) => o.planned).map((o) => [epoch + o.start, epoch + o.end] as const);
  const perMonth = new Map<string, number>();
  let coveredTo = -Infinity;
  for (const [a0, b] of windows.sort((x, y) => x[0] - y[0])) {
    let a = Math.max(a0, coveredTo);
    while (a < b) {
      const d = new Date(a);
      const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      const stop = Math.min(b, monthEnd);
      const key = d.toISOString().slice(0, 7);
      perMonth.set(key, (perMonth.get(key) ?? 0) + (stop - a));
      a = stop;
    }
    coveredTo = Math.max(coveredTo, b);
  }
  const out: string[] = [];
  for (const [month, ms] of perMonth) {
    if (ms > PLANNED_MAINTENANCE_LIMIT_MS) {
      out.push(`planned maintenance in ${month} lasts ${(ms / 3_600_000).toFixed(2)} hours, over the 6 hours a month SEC Section H8 allows (seed 004, Requirement 3)`);
    }
  }
  return out;
}
