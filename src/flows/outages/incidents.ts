/**
 * The incidents of a run, as Remedy would hold them (seed 000, CR1420 [A];
 * seed 004, Requirement 5), from three sources:
 *
 *   outage       each unplanned outage that was detected: opened when it is
 *                logged down, resolved when the sub-system is back; category,
 *                resolver group and SMETS generation from the sub-system (a
 *                User's gateway: category 4, resolver "other", an assumption);
 *   powerOutage  each powerOutage event, when outages.incidents
 *                .powerOutageCategory says so: opened when the CSP raises
 *                AD1 (the outage is then 3 minutes old, seed 001 section 5.2),
 *                resolved when power is back everywhere, resolver "other"
 *                (the network operator's grid, not the DCC's);
 *   other        failures the twin does not model, at perMonth per category
 *                (Poisson, stream outages/incidents/<category>), with a
 *                resolution drawn as a multiple of the category's target.
 *
 * Initial response: opened + the category's target times a draw of
 * initialResponseFactor; closure: resolution + closureDelay. Every time is
 * drawn here, whole lifecycles included, so the feed can cut them at the
 * run's end and the truth keep them.
 */
import { bernoulli, compile, exponential, type Sampler } from '../../engine/distributions.js';
import type { RandomStreams } from '../../engine/random.js';
import { INCIDENT_CATEGORIES, RESOLVER_GROUPS, type IncidentCategory, type ResolverGroup, type SmetsGeneration } from '../../dcc/services.js';
import type { Scenario } from '../../scenario/types.js';
import type { OutagePlan, PlannedOutage } from './plan.js';

/** The month the perMonth rates are per: 30 days. */
const MONTH_MS = 30 * 86_400_000;

export interface Incident {
  serial: number;
  category: IncidentCategory;
  resolverGroup: ResolverGroup;
  smets: SmetsGeneration;
  source: 'outage' | 'powerOutage' | 'other';
  outage?: PlannedOutage;
  /** ms after the epoch; every stamp drawn, after the run or not. */
  opened: number;
  initialResponse: number;
  resolved: number;
  closed: number;
}

/** Category and resolver of a gateway outage's incident: assumption, a User's own equipment, minor to the DCC. */
const GATEWAY_INCIDENT = { category: 4 as IncidentCategory, resolverGroup: 'other' as ResolverGroup };

export function raiseIncidents(scenario: Scenario, plan: OutagePlan, streams: RandomStreams): Incident[] {
  const cfg = scenario.outages.incidents;
  const rng = streams.stream('outages/incidents');
  const responseFactor = compile(cfg.initialResponseFactor, rng);
  const closure = compile(cfg.closureDelay, rng);
  const raised: Array<Omit<Incident, 'serial' | 'initialResponse' | 'closed'>> = [];

  for (const o of plan.outages) {
    if (o.planned || o.detected === null || o.detected >= scenario.duration) continue;
    const s = o.subsystem;
    raised.push({
      category: s?.incidentCategory ?? GATEWAY_INCIDENT.category,
      resolverGroup: s?.resolverGroup ?? GATEWAY_INCIDENT.resolverGroup,
      smets: s?.smets ?? 'SMETS2',
      source: 'outage',
      outage: o,
      opened: o.detected,
      resolved: o.end,
    });
  }

  if (cfg.powerOutageCategory !== undefined) {
    const confirm = scenario.components.cspNorth.ad1Threshold;
    for (const e of scenario.events) {
      if (e.type !== 'powerOutage' || e.at + confirm >= scenario.duration) continue;
      const smets1Only = e.areas.length === 0 && e.regions.every((r) => r === 'smets1');
      raised.push({
        category: cfg.powerOutageCategory,
        resolverGroup: 'other',
        smets: smets1Only ? 'SMETS1' : 'SMETS2',
        source: 'powerOutage',
        opened: e.at + confirm,
        resolved: e.at + e.duration + e.restorationSpread,
      });
    }
  }

  const groups = cumulative(RESOLVER_GROUPS.map((g) => cfg.resolverGroups[g]));
  for (const c of INCIDENT_CATEGORIES) {
    const rate = cfg.perMonth[c];
    if (rate <= 0) continue;
    const r = streams.stream(`outages/incidents/${c}`);
    const resolution: Sampler = compile(cfg.resolutionFactor, r);
    const mean = MONTH_MS / rate;
    for (let t = exponential(r, mean); t < scenario.duration; t += exponential(r, mean)) {
      const opened = Math.round(t);
      const group = RESOLVER_GROUPS[pick(groups, r())];
      raised.push({
        category: c,
        resolverGroup: group,
        // An S1SP incident is about SMETS1; the rest in proportion.
        smets: group === 'S1SP' || bernoulli(r, cfg.smets1Share) ? 'SMETS1' : 'SMETS2',
        source: 'other',
        opened,
        resolved: opened + Math.max(1, Math.round(resolution() * cfg.targets[c].resolution)),
      });
    }
  }

  raised.sort((a, b) => a.opened - b.opened);
  return raised.map((x, i) => {
    const initialResponse = x.opened + Math.max(1, Math.round(responseFactor() * cfg.targets[x.category].initialResponse));
    // An incident is resolved no earlier than it is responded to.
    const resolved = Math.max(x.resolved, initialResponse);
    return { serial: i + 1, ...x, initialResponse, resolved, closed: resolved + Math.max(1, Math.round(closure())) };
  });
}

function cumulative(shares: number[]): number[] {
  let sum = 0;
  return shares.map((s) => (sum += s));
}

function pick(cum: number[], u: number): number {
  const x = u * cum[cum.length - 1];
  const i = cum.findIndex((c) => x < c);
  return i < 0 ? cum.length - 1 : i;
}
