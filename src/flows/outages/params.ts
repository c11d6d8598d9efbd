/**
 * The scenario's `outages` section: what the DCC Services are made of, the
 * random failures of sub-systems and gateways, how outages are detected, the
 * incidents they and other failures raise, and Install and Leave. Its type,
 * defaults (each with its source or named as an assumption), schema fragment
 * and reading live here together, as a component's do beside its model.
 *
 * Left out, a scenario takes every default: the default composition, no
 * random outages, no background incidents; the scripted outages
 * (componentOutage, serviceUserOutage, subsystemOutage, plannedMaintenance
 * events) are still reported.
 */
import type { DistributionSpec } from '../../engine/distributions.js';
import { REGION_LABELS, type RegionLabel } from '../../dcc/regions.js';
import {
  INCIDENT_CATEGORIES, RESOLVER_GROUPS, SERVICE_KEYS,
  type IncidentCategory, type ResolverGroup, type ServiceKey, type SmetsGeneration,
} from '../../dcc/services.js';
import { distribution, duration, obj, share, type Schema } from '../../params/schema.js';
import { asObj, isNum, type Obj, type ParamReader, type Path } from '../../params/read.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One sub-system: the services it supports (its outage takes each of them down), where, and who resolves it. */
export interface SubsystemConfig {
  name: string;
  services: ServiceKey[];
  /** A CSP region's WAN or the S1SPs: the outage is that region's alone. */
  region?: RegionLabel;
  resolverGroup: ResolverGroup;
  /** Category of the incident its unplanned outage raises. */
  incidentCategory: IncidentCategory;
  smets: SmetsGeneration;
}

/** Failures at random: exponential times between failures (mean `mtbf`), repairs drawn from `mttr`. */
export interface RandomOutageConfig {
  /** A sub-system's name, or ... */
  subsystem?: string;
  /** ... a Service User's id (its gateway). */
  serviceUser?: string;
  mtbf: number;
  mttr: DistributionSpec;
}

export interface IncidentTarget {
  initialResponse: number;
  resolution: number;
}

export interface IncidentsConfig {
  /** Target Initial Response and Resolution Times per category (ms). */
  targets: Record<IncidentCategory, IncidentTarget>;
  /** Incidents a month per category raised by failures other than the outages modelled (Poisson). */
  perMonth: Record<IncidentCategory, number>;
  /** Share of those about SMETS1 devices. */
  smets1Share: number;
  /** Resolver groups of those, shares summing to 1. */
  resolverGroups: Record<ResolverGroup, number>;
  /** Initial response as a multiple of the category's target. */
  initialResponseFactor: DistributionSpec;
  /** Resolution of a background incident as a multiple of its target. */
  resolutionFactor: DistributionSpec;
  /** From resolution to closure (the User confirms; Remedy closes). */
  closureDelay: DistributionSpec;
  /** Category of the incident a powerOutage event raises (absent: none). */
  powerOutageCategory?: IncidentCategory;
}

export interface InstallAndLeaveConfig {
  /** From the DSP's response to 8.14.2 to the CSP's submission of the No-SMWAN incident. */
  submitDelay: DistributionSpec;
  category: IncidentCategory;
  /** Share of hubs whose SMWAN is established within the 90 days. */
  resolvedShare: number;
  /** For those: submission to SMWAN established (capped at the window). */
  timeToResolve: DistributionSpec;
  /** Share of No-SMWAN incidents carrying an exclusion. */
  exclusionShare: number;
}

export interface OutagesConfig {
  subsystems: SubsystemConfig[];
  random: RandomOutageConfig[];
  /** From the start of an unplanned outage to its being logged down. */
  detectionDelay: DistributionSpec;
  incidents: IncidentsConfig;
  installAndLeave: InstallAndLeaveConfig;
}

const sub = (name: string, services: ServiceKey[], resolverGroup: ResolverGroup, incidentCategory: IncidentCategory, region?: RegionLabel): SubsystemConfig => ({
  name,
  services,
  ...(region ? { region } : {}),
  resolverGroup,
  incidentCategory,
  smets: region === 'SMETS1' ? 'SMETS1' : 'SMETS2',
});

/**
 * Assumption (seed 004 Requirement 3 names the services but not their
 * sub-systems): each interface has its own front end, the DSP's core carries
 * the User Interface's messages, one identity and access service
 * authenticates the User Interface, the SMKI Services and the Self-Service
 * Interface (the shared sub-system of Requirement 3's "supporting multiple
 * interfaces"), the DCC's network carries all five, and each CSP region's
 * WAN and the S1SPs carry the User Interface's traffic to their meters.
 * Names dsp, cspNorth, cspCentral, cspSouth and s1sp are the network's
 * components: their outages act on the same gates as componentOutage events.
 * Categories: assumption, a national loss of the User Interface is
 * category 1, a region's 2, another interface's 3.
 */
export const DEFAULT_SUBSYSTEMS: SubsystemConfig[] = [
  sub('dsp', ['dccUserInterface'], 'DSP', 1),
  sub('duiGateway', ['dccUserInterface'], 'DSP', 1),
  sub('registrationDataInterface', ['registrationDataInterface'], 'DCC', 3),
  sub('smkiRepository', ['smkiRepositoryInterface'], 'DCC', 3),
  sub('smkiServices', ['smkiServicesInterfaces'], 'DCC', 3),
  sub('selfServicePortal', ['selfServiceInterface'], 'DCC', 3),
  sub('identityAndAccess', ['dccUserInterface', 'smkiServicesInterfaces', 'selfServiceInterface'], 'DCC', 2),
  sub('dccNetwork', [...SERVICE_KEYS], 'DCC', 1),
  sub('cspNorth', ['dccUserInterface'], 'CSP', 2, 'North'),
  sub('cspCentral', ['dccUserInterface'], 'CSP', 2, 'Central'),
  sub('cspSouth', ['dccUserInterface'], 'CSP', 2, 'South'),
  sub('s1sp', ['dccUserInterface'], 'S1SP', 2, 'SMETS1'),
];

export const DEFAULT_INCIDENTS: IncidentsConfig = {
  // Assumption: the shape of SEC Appendix AG's targets (minutes for the severe, days for the minor);
  // the seeds give no figures.
  targets: {
    1: { initialResponse: 20 * MINUTE, resolution: 4 * HOUR },
    2: { initialResponse: 30 * MINUTE, resolution: 8 * HOUR },
    3: { initialResponse: 1 * HOUR, resolution: 1 * DAY },
    4: { initialResponse: 4 * HOUR, resolution: 3 * DAY },
    5: { initialResponse: 8 * HOUR, resolution: 5 * DAY },
  },
  // Assumption: none unless the scenario asks (availability-incidents.yaml gives a month of them).
  perMonth: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
  // DOMAIN.md: about 32 million meters, about 20 million SMETS2: 0.35 SMETS1 (rounded to 0.3 as the estate's default).
  smets1Share: 0.3,
  // Assumption: most incidents are the CSPs' and the DSP's.
  resolverGroups: { DCC: 0.2, DSP: 0.25, CSP: 0.35, S1SP: 0.15, DCO: 0.03, other: 0.02 },
  // Assumption: most responses well within the target, a tail beyond it (about one in ten).
  initialResponseFactor: { dist: 'lognormal', median: 0.4, sigma: 0.7 },
  // Assumption: resolutions usually within the target, about one in six beyond it.
  resolutionFactor: { dist: 'lognormal', median: 0.5, sigma: 0.7 },
  // Assumption: the User confirms and the incident is closed a day or two after resolution.
  closureDelay: { dist: 'lognormal', median: 1 * DAY, sigma: 0.6 },
};

export const DEFAULT_INSTALL_AND_LEAVE: InstallAndLeaveConfig = {
  // Assumption: the DSP raises the incident on 8.14.2 and the CSP logs it within hours.
  submitDelay: { dist: 'lognormal', median: 4 * HOUR, sigma: 0.5 },
  // Assumption: a No-SMWAN incident is category 4 (one premises, no User-facing outage).
  category: 4,
  // Assumption: most hubs left without SMWAN get it within the 90-day window (a revisit, an aerial, coverage work).
  resolvedShare: 0.6,
  timeToResolve: { dist: 'lognormal', median: 20 * DAY, sigma: 0.8, max: 90 * DAY },
  // Assumption: one incident in ten carries an exclusion (CR1429 "Exception/Exclusion Information").
  exclusionShare: 0.1,
};

export const DEFAULT_OUTAGES: OutagesConfig = {
  subsystems: DEFAULT_SUBSYSTEMS,
  random: [],
  // Assumption: the DCC's monitoring logs a sub-system down a few minutes after it fails.
  detectionDelay: { dist: 'lognormal', median: 3 * MINUTE, sigma: 0.5 },
  incidents: DEFAULT_INCIDENTS,
  installAndLeave: DEFAULT_INSTALL_AND_LEAVE,
};

const category = (description: string): Schema => ({ type: 'integer', enum: [...INCIDENT_CATEGORIES], description });
const perCategory = (description: string, item: (c: number) => Schema): Schema =>
  obj(description, Object.fromEntries(INCIDENT_CATEGORIES.map((c) => [String(c), item(c)])));

export const outagesSchema: Schema = obj('Outages, service availability, incidents and Install and Leave (src/flows/outages/params.ts).', {
  subsystems: {
    type: 'array',
    minItems: 1,
    description:
      'The sub-systems the DCC Services are made of; given, the list replaces the default whole. A sub-system named dsp, cspNorth, cspCentral, cspSouth or s1sp is that component of the network.',
    items: obj(
      'One sub-system.',
      {
        name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'Its name, used by subsystemOutage and plannedMaintenance events.' },
        services: {
          type: 'array',
          minItems: 1,
          description: 'The DCC Services it supports (seed 004, Requirement 3); its outage takes each of them down.',
          items: { type: 'string', enum: [...SERVICE_KEYS], description: 'A DCC Service.' },
        },
        region: { type: 'string', enum: [...REGION_LABELS], description: "Its outage is this region's alone (a CSP's WAN, the S1SPs)." },
        resolverGroup: { type: 'string', enum: [...RESOLVER_GROUPS], description: 'Who resolves its incidents (seed 000, CR1420).' },
        incidentCategory: category('Category (1-5) of the incident its unplanned outage raises.'),
      },
      ['name', 'services', 'resolverGroup', 'incidentCategory'],
    ),
  },
  random: {
    type: 'array',
    description: 'Random failures (none by default), each from its own seeded stream outages/random/<name>.',
    items: obj(
      'Failures of one sub-system or one Service User gateway.',
      {
        subsystem: { type: 'string', minLength: 1, description: 'A sub-system (give subsystem or serviceUser).' },
        serviceUser: { type: 'string', minLength: 1, description: "A Service User's gateway." },
        mtbf: duration('Mean time between failures (exponential).'),
        mttr: distribution('Time to repair.'),
      },
      ['mtbf', 'mttr'],
    ),
  },
  detectionDelay: distribution('From the start of an unplanned outage to its being logged (default lognormal, median 3m).'),
  incidents: obj('Incidents (Remedy).', {
    targets: perCategory('Target Initial Response and Resolution Times per category (each given replaces its default).', (c) =>
      obj(`Category ${c}.`, { initialResponse: duration('Target Initial Response Time.'), resolution: duration('Target Resolution Time.') }, ['initialResponse', 'resolution']),
    ),
    perMonth: perCategory('Incidents a month per category from failures other than the outages modelled (default none).', (c) => ({
      type: 'number',
      minimum: 0,
      description: `Category ${c} incidents a month.`,
    })),
    smets1Share: share('Share of those about SMETS1 (default 0.3).'),
    resolverGroups: obj(
      'Resolver groups of those: shares summing to 1.',
      Object.fromEntries(RESOLVER_GROUPS.map((g) => [g, share(`Share resolved by ${g}.`)])),
    ),
    initialResponseFactor: distribution("Initial response as a multiple of the category's target."),
    resolutionFactor: distribution("Resolution of those incidents as a multiple of the category's target."),
    closureDelay: distribution('From resolution to closure.'),
    powerOutageCategory: category('Category of the incident each powerOutage event raises (default: none raised).'),
  }),
  installAndLeave: obj('Install and Leave: hubs installed without SMWAN (SRV 8.14.2) and the CSPs\' No-SMWAN incidents (seed 000, CR1429).', {
    submitDelay: distribution("From the DSP's 8.14.2 response to the CSP's No-SMWAN incident."),
    category: category('Category of a No-SMWAN incident (default 4).'),
    resolvedShare: share('Share of hubs whose SMWAN is established within the 90 days (default 0.6).'),
    timeToResolve: distribution('For those: from the incident to SMWAN established.'),
    exclusionShare: share('Share of incidents carrying an exclusion (default 0.1).'),
  }),
});

function categoryOf(v: unknown, fallback: IncidentCategory): IncidentCategory {
  return (INCIDENT_CATEGORIES as readonly unknown[]).includes(v) ? (v as IncidentCategory) : fallback;
}

export function readOutages(r: ParamReader, path: Path, raw: unknown, userIds: string[]): OutagesConfig {
  const o: Obj = asObj(raw);
  const d = DEFAULT_OUTAGES;
  let subsystems = d.subsystems;
  if (Array.isArray(o.subsystems)) {
    const seen = new Set<string>();
    subsystems = [];
    o.subsystems.forEach((item, i) => {
      const s = asObj(item);
      if (typeof s.name !== 'string' || !Array.isArray(s.services)) return; // the schema reported it
      if (seen.has(s.name)) r.report([...path, 'subsystems', i, 'name'], `sub-system ${JSON.stringify(s.name)} is already declared`);
      seen.add(s.name);
      const region = (REGION_LABELS as readonly unknown[]).includes(s.region) ? (s.region as RegionLabel) : undefined;
      subsystems.push(
        sub(
          s.name,
          s.services.filter((x): x is ServiceKey => (SERVICE_KEYS as readonly unknown[]).includes(x)),
          (RESOLVER_GROUPS as readonly unknown[]).includes(s.resolverGroup) ? (s.resolverGroup as ResolverGroup) : 'DCC',
          categoryOf(s.incidentCategory, 3),
          region,
        ),
      );
    });
  }
  const names = subsystems.map((s) => s.name);
  const random: RandomOutageConfig[] = [];
  if (Array.isArray(o.random)) {
    o.random.forEach((item, i) => {
      const x = asObj(item);
      const p = [...path, 'random', i];
      const hasSub = typeof x.subsystem === 'string';
      const hasUser = typeof x.serviceUser === 'string';
      if (hasSub === hasUser) r.report(p, 'give subsystem or serviceUser, one of the two');
      if (hasSub && !names.includes(x.subsystem as string)) {
        r.report([...p, 'subsystem'], `unknown sub-system ${JSON.stringify(x.subsystem)} (expected one of ${names.join(', ')})`);
      }
      if (hasUser && !userIds.includes(x.serviceUser as string)) {
        r.report([...p, 'serviceUser'], `unknown user ${JSON.stringify(x.serviceUser)} (expected one of ${userIds.join(', ')})`);
      }
      random.push({
        ...(hasSub ? { subsystem: x.subsystem as string } : { serviceUser: String(x.serviceUser) }),
        mtbf: r.duration([...p, 'mtbf'], x.mtbf, DAY, { positive: true }),
        mttr: r.distribution([...p, 'mttr'], x.mttr, { dist: 'constant', value: HOUR }),
      });
    });
  }
  return {
    subsystems,
    random,
    detectionDelay: r.distribution([...path, 'detectionDelay'], o.detectionDelay, d.detectionDelay),
    incidents: readIncidents(r, [...path, 'incidents'], asObj(o.incidents)),
    installAndLeave: readInstallAndLeave(r, [...path, 'installAndLeave'], asObj(o.installAndLeave)),
  };
}

function readIncidents(r: ParamReader, path: Path, o: Obj): IncidentsConfig {
  const d = DEFAULT_INCIDENTS;
  const targets = { ...d.targets };
  const perMonth = { ...d.perMonth };
  const t = asObj(o.targets);
  const pm = asObj(o.perMonth);
  for (const c of INCIDENT_CATEGORIES) {
    const tc = asObj(t[String(c)]);
    if (t[String(c)] !== undefined) {
      targets[c] = {
        initialResponse: r.duration([...path, 'targets', String(c), 'initialResponse'], tc.initialResponse, d.targets[c].initialResponse, { positive: true }),
        resolution: r.duration([...path, 'targets', String(c), 'resolution'], tc.resolution, d.targets[c].resolution, { positive: true }),
      };
    }
    perMonth[c] = r.number(pm[String(c)], d.perMonth[c]);
  }
  let resolverGroups = d.resolverGroups;
  if (o.resolverGroups !== undefined) {
    const g = asObj(o.resolverGroups);
    resolverGroups = Object.fromEntries(RESOLVER_GROUPS.map((k) => [k, isNum(g[k]) ? g[k] : 0])) as Record<ResolverGroup, number>;
    r.sumToOne([...path, 'resolverGroups'], resolverGroups);
  }
  return {
    targets,
    perMonth,
    smets1Share: r.number(o.smets1Share, d.smets1Share),
    resolverGroups,
    initialResponseFactor: r.distribution([...path, 'initialResponseFactor'], o.initialResponseFactor, d.initialResponseFactor),
    resolutionFactor: r.distribution([...path, 'resolutionFactor'], o.resolutionFactor, d.resolutionFactor),
    closureDelay: r.distribution([...path, 'closureDelay'], o.closureDelay, d.closureDelay),
    ...(o.powerOutageCategory !== undefined ? { powerOutageCategory: categoryOf(o.powerOutageCategory, 3) } : {}),
  };
}

function readInstallAndLeave(r: ParamReader, path: Path, o: Obj): InstallAndLeaveConfig {
  const d = DEFAULT_INSTALL_AND_LEAVE;
  return {
    submitDelay: r.distribution([...path, 'submitDelay'], o.submitDelay, d.submitDelay),
    category: categoryOf(o.category, d.category),
    resolvedShare: r.number(o.resolvedShare, d.resolvedShare),
    timeToResolve: r.distribution([...path, 'timeToResolve'], o.timeToResolve, d.timeToResolve),
    exclusionShare: r.number(o.exclusionShare, d.exclusionShare),
  };
}

