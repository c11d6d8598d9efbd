/**
 * From a parsed scenario file (plain data, already checked against the
 * schema) to the resolved Scenario: durations to milliseconds, defaults
 * filled in, and the checks a schema cannot express. Problems go to
 * `report` with the path of the offending value; nothing here knows about
 * YAML or lines. Written to survive data the schema rejected (those fields
 * are skipped, not reported twice), so one pass finds every problem.
 */
import { checkDistribution, DISTRIBUTION_NAMES, type DistributionSpec } from '../engine/distributions.js';
import { parseDuration, parseInstant } from './duration.js';
import { NETWORK_OPERATOR_AREAS } from './areas.js';
import * as D from './defaults.js';
import {
  REGIONS,
  type CommsHubConfig,
  type CspConfig,
  type DspConfig,
  type EstateConfig,
  type Region,
  type S1spConfig,
  type Scenario,
  type ScenarioEvent,
  type ServiceUserConfig,
  type VersionMix,
} from './types.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];
/** `key`: the problem is the key itself (point at it rather than at its value). */
export type Reporter = (path: Path, message: string, where?: 'key' | 'value') => void;

export interface ResolveOptions {
  source: string;
  /** Name used when the file has none. */
  defaultName: string;
  seed?: number;
  /** Run length replacing the file's duration; events from then on are dropped. */
  until?: number;
}

/** Shares must sum to 1 within this. */
const SHARE_TOLERANCE = 1e-6;
/** Distribution parameters that are times and so take duration strings. */
const TIME_PARAMS = ['value', 'min', 'max', 'mean', 'median', 'shift', 'sd'] as const;

const REQUIRED_PARAMS: Record<string, string[]> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  lognormal: ['median', 'sigma'],
  normal: ['mean', 'sd'],
  empirical: ['points'],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** "1h30m", "350ms", "2d": how durations read back in messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  if (rest > 0) parts.push(`${Number(rest.toFixed(3))}ms`);
  return parts.join('');
}

const fmtSum = (x: number) => String(Number(x.toFixed(9)));

export function resolveScenario(raw: unknown, opts: ResolveOptions, report: Reporter): Scenario {
  const r = new Resolver(report);
  return r.scenario(obj(raw), opts);
}

class Resolver {
  constructor(private readonly report: Reporter) {}

  /** Milliseconds of a duration field, or `fallback` if absent or unusable. */
  duration(path: Path, v: unknown, fallback: number, opts: { positive?: boolean; whole?: boolean } = {}): number {
    if (v === undefined) return fallback;
    // Not a finite number or a string: the schema reported it.
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') return fallback;
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (e) {
      this.report(path, (e as Error).message);
      return fallback;
    }
    if (opts.positive && !(ms > 0)) {
      this.report(path, `must be a duration > 0 (got ${JSON.stringify(v)})`);
      return fallback;
    }
    // Simulator times are whole milliseconds.
    return opts.whole === false ? ms : Math.round(ms);
  }

  number(v: unknown, fallback: number): number {
    return isNum(v) ? v : fallback;
  }

  distribution(path: Path, v: unknown, fallback: DistributionSpec): DistributionSpec {
    // Not a mapping, or no known `dist`: the schema reported it.
    if (!isObj(v) || !(DISTRIBUTION_NAMES as readonly unknown[]).includes(v.dist)) return structuredClone(fallback);
    const spec: Obj = { dist: v.dist };
    let ok = true;
    for (const [k, val] of Object.entries(v)) {
      if (k === 'dist') continue;
      if ((TIME_PARAMS as readonly string[]).includes(k)) {
        if (typeof val !== 'number' && typeof val !== 'string') {
          ok = false;
          continue;
        }
        try {
          spec[k] = parseDuration(val);
        } catch (e) {
          this.report([...path, k], (e as Error).message);
          ok = false;
        }
      } else if (k === 'points' && Array.isArray(val)) {
        spec.points = val.map((p, i) => {
          if (!Array.isArray(p) || p.length !== 2 || (typeof p[0] !== 'number' && typeof p[0] !== 'string') || !isNum(p[1])) {
            ok = false;
            return [0, 0];
          }
          try {
            return [parseDuration(p[0]), p[1]];
          } catch (e) {
            this.report([...path, 'points', i, 0], (e as Error).message);
            ok = false;
            return [0, p[1]];
          }
        });
      } else {
        spec[k] = val;
      }
    }
    // A required parameter missing: the schema reported it.
    if (!ok || REQUIRED_PARAMS[spec.dist as string].some((k) => spec[k] === undefined)) return structuredClone(fallback);
    const problems = checkDistribution(spec as DistributionSpec);
    for (const p of problems) {
      // checkDistribution names the parameter first ("median must be > 0"); point at it.
      const m = /^(\w+)(?:\[(\d+)\])? ((?:must|value|probability) .*)$/.exec(p);
      if (m && m[1] in spec) {
        const sub: PathSegment[] = m[2] === undefined ? [m[1]] : [m[1], Number(m[2])];
        this.report([...path, ...sub], m[3]);
      } else {
        this.report(path, `${spec.dist}: ${p}`);
      }
    }
    return problems.length ? structuredClone(fallback) : (spec as DistributionSpec);
  }

  /** Shares that must sum to 1; `keys` absent from the object count as 0. */
  sumToOne(path: Path, shares: Record<string, number>): void {
    const sum = Object.values(shares).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
      const terms = Object.entries(shares)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(' + ');
      this.report(path, `shares must sum to 1 (got ${fmtSum(sum)}${terms ? `: ${terms}` : ''})`);
    }
  }

  scenario(raw: Obj, opts: ResolveOptions): Scenario {
    const fileDuration = this.duration(['duration'], raw.duration, D.DEFAULT_DURATION, { positive: true });
    let epoch = parseInstant(D.DEFAULT_EPOCH);
    if (typeof raw.epoch === 'string') {
      try {
        epoch = parseInstant(raw.epoch);
      } catch (e) {
        this.report(['epoch'], (e as Error).message);
      }
    }
    const estate = this.estate(obj(raw.estate));
    const serviceUsers = this.serviceUsers(raw.serviceUsers);
    const events = this.events(raw.events, fileDuration, serviceUsers, estate);
    const duration = opts.until ?? fileDuration;
    return {
      source: opts.source,
      name: typeof raw.name === 'string' ? raw.name : opts.defaultName,
      description: typeof raw.description === 'string' ? raw.description : '',
      seed: opts.seed ?? (Number.isInteger(raw.seed) ? (raw.seed as number) : D.DEFAULT_SEED),
      epoch,
      duration,
      estate,
      components: this.components(obj(raw.components)),
      serviceUsers,
      background: this.background(raw.background),
      // With a shorter run (--until), events that would start after it simply do not happen.
      events: events.filter((e) => e.at < duration),
      output: { ...D.DEFAULT_OUTPUT, ...pickBooleans(obj(raw.output)) },
    };
  }

  estate(raw: Obj): EstateConfig {
    const d = D.DEFAULT_ESTATE;
    let regionShares = { ...d.regionShares };
    if (isObj(raw.regions)) {
      // A file that gives regions gives all it wants: the regions it leaves out get none.
      regionShares = { north: 0, central: 0, south: 0, smets1: 0 };
      for (const region of REGIONS) if (isNum(raw.regions[region])) regionShares[region] = raw.regions[region] as number;
      this.sumToOne(['estate', 'regions'], regionShares);
    }
    const firmware = structuredClone(d.firmware);
    const fw = obj(raw.firmware);
    for (const device of ['hub', 'esme', 'gsme', 'ppmid'] as const) {
      if (!isObj(fw[device])) continue;
      const mix: VersionMix = {};
      for (const [version, share] of Object.entries(fw[device] as Obj)) if (isNum(share)) mix[version] = share;
      this.sumToOne(['estate', 'firmware', device], mix);
      firmware[device] = mix;
    }
    return {
      hubs: Number.isInteger(raw.hubs) && (raw.hubs as number) > 0 ? (raw.hubs as number) : D.DEFAULT_HUBS,
      regionShares,
      s1sps: Number.isInteger(raw.s1sps) && (raw.s1sps as number) >= 1 ? (raw.s1sps as number) : d.s1sps,
      gasShare: this.number(raw.gasShare, d.gasShare),
      ppmidShare: this.number(raw.ppmidShare, d.ppmidShare),
      ihdShare: this.number(raw.ihdShare, d.ihdShare),
      commissionedShare: this.number(raw.commissionedShare, d.commissionedShare),
      firmware,
    };
  }

  components(raw: Obj): Scenario['components'] {
    const p = (name: string) => ['components', name];
    return {
      commsHub: this.commsHub(obj(raw.commsHub)),
      cspNorth: this.csp(p('cspNorth'), obj(raw.cspNorth), D.DEFAULT_CSP_NORTH),
      cspCentral: this.csp(p('cspCentral'), obj(raw.cspCentral), D.DEFAULT_CSP_CENTRAL),
      cspSouth: this.csp(p('cspSouth'), obj(raw.cspSouth), D.DEFAULT_CSP_SOUTH),
      s1sp: this.s1sp(obj(raw.s1sp)),
      dsp: this.dsp(obj(raw.dsp)),
    };
  }

  commsHub(raw: Obj): CommsHubConfig {
    const d = D.DEFAULT_COMMS_HUB;
    const path = ['components', 'commsHub'];
    const wan = obj(raw.wanTransit);
    const wanTransit = {} as Record<Region, DistributionSpec>;
    for (const region of REGIONS) wanTransit[region] = this.distribution([...path, 'wanTransit', region], wan[region], d.wanTransit[region]);
    return {
      processing: this.distribution([...path, 'processing'], raw.processing, d.processing),
      wanTransit,
      sdkClockOffset: this.distribution([...path, 'sdkClockOffset'], raw.sdkClockOffset, d.sdkClockOffset),
      hubTimestampMissingShare: this.number(raw.hubTimestampMissingShare, d.hubTimestampMissingShare),
      lastGaspSuccessShare: this.number(raw.lastGaspSuccessShare, d.lastGaspSuccessShare),
      restorationAlertDelay: this.distribution([...path, 'restorationAlertDelay'], raw.restorationAlertDelay, d.restorationAlertDelay),
    };
  }

  csp(path: Path, raw: Obj, d: CspConfig): CspConfig {
    return {
      processing: this.distribution([...path, 'processing'], raw.processing, d.processing),
      capacityPerSecond: this.number(raw.capacityPerSecond, d.capacityPerSecond),
      toDsp: this.distribution([...path, 'toDsp'], raw.toDsp, d.toDsp),
      outageMode: raw.outageMode === 'hold' || raw.outageMode === 'drop' ? raw.outageMode : d.outageMode,
      ad1Threshold: this.duration([...path, 'ad1Threshold'], raw.ad1Threshold, d.ad1Threshold),
      ad1Delay: this.distribution([...path, 'ad1Delay'], raw.ad1Delay, d.ad1Delay),
    };
  }

  s1sp(raw: Obj): S1spConfig {
    const d = D.DEFAULT_S1SP;
    const path = ['components', 's1sp'];
    return {
      processing: this.distribution([...path, 'processing'], raw.processing, d.processing),
      toDsp: this.distribution([...path, 'toDsp'], raw.toDsp, d.toDsp),
      capacityPerSecond: this.number(raw.capacityPerSecond, d.capacityPerSecond),
      outageMode: raw.outageMode === 'hold' || raw.outageMode === 'drop' ? raw.outageMode : d.outageMode,
    };
  }

  dsp(raw: Obj): DspConfig {
    const d = D.DEFAULT_DSP;
    const path = ['components', 'dsp'];
    const handshakeTimeout = this.duration([...path, 'handshakeTimeout'], raw.handshakeTimeout, d.handshakeTimeout, { positive: true });
    let retryDelays = [...d.retryDelays];
    if (Array.isArray(raw.retryDelays) && raw.retryDelays.length > 0) {
      retryDelays = raw.retryDelays.map((v, i) => this.duration([...path, 'retryDelays', i], v, 0));
      // The journey waits max(delay, handshakeTimeout) before each retry (a retry
      // cannot start before the previous attempt has timed out).
      const first = Math.max(retryDelays[0], handshakeTimeout);
      if (first > D.FIRST_RETRY_LIMIT) {
        this.report(
          [...path, 'retryDelays', 0],
          `the first retry must fall within 5m of the first attempt (DUIS); it falls at ${formatDuration(first)}`,
        );
      }
    } else if (handshakeTimeout > D.FIRST_RETRY_LIMIT) {
      this.report([...path, 'handshakeTimeout'], `must be at most 5m so that the first retry falls within 5m (DUIS) (got ${formatDuration(handshakeTimeout)})`);
    }
    return {
      validation: this.distribution([...path, 'validation'], raw.validation, d.validation),
      rejectionShare: this.number(raw.rejectionShare, d.rejectionShare),
      routing: this.distribution([...path, 'routing'], raw.routing, d.routing),
      throttlePerUserPerSecond: this.number(raw.throttlePerUserPerSecond, d.throttlePerUserPerSecond),
      handshakeTimeout,
      retryDelays,
      failedQueueRetention: this.duration([...path, 'failedQueueRetention'], raw.failedQueueRetention, d.failedQueueRetention),
      outageMode: raw.outageMode === 'hold' || raw.outageMode === 'drop' ? raw.outageMode : d.outageMode,
    };
  }

  serviceUsers(raw: unknown): ServiceUserConfig[] {
    if (!Array.isArray(raw)) return D.defaultServiceUsers();
    const users: ServiceUserConfig[] = [];
    const firstIndexOf = new Map<string, number>();
    const servedBy = new Map<number, number>();
    const given = raw.map(obj);
    const suppliers = given.filter((u) => u.role === 'supplier');
    const sharesGiven = suppliers.some((u) => u.marketShare !== undefined);
    given.forEach((u, i) => {
      const path = ['serviceUsers', i];
      const id = typeof u.id === 'string' ? u.id : `#${i}`;
      if (typeof u.id === 'string') {
        const prev = firstIndexOf.get(u.id);
        if (prev !== undefined) this.report([...path, 'id'], `duplicate user id "${u.id}" (also serviceUsers[${prev}])`);
        else firstIndexOf.set(u.id, i);
      }
      const role = u.role === 'networkOperator' ? 'networkOperator' : 'supplier';
      const areas = Array.isArray(u.areas) ? u.areas.filter(isNum) : [];
      if (u.role === 'networkOperator') {
        if (areas.length === 0) this.report(path, `network operator "${id}" needs at least one area`);
        areas.forEach((a, j) => {
          const prev = servedBy.get(a);
          if (prev !== undefined) {
            this.report([...path, 'areas', j], `area ${a} is already served by ${JSON.stringify(users[prev]?.id ?? given[prev].id)} (serviceUsers[${prev}])`);
          } else servedBy.set(a, i);
        });
        if (isNum(u.marketShare) && u.marketShare !== 0) this.report([...path, 'marketShare'], 'only a supplier has a market share');
      } else if (u.role === 'supplier') {
        if (Array.isArray(u.areas) && u.areas.length > 0) this.report([...path, 'areas'], 'only a network operator serves areas');
        if (sharesGiven && u.marketShare === undefined) this.report(path, `supplier "${id}" needs a marketShare, as other suppliers give one`);
      }
      let marketShare = 0;
      if (role === 'supplier') marketShare = sharesGiven ? this.number(u.marketShare, 0) : 1 / suppliers.length;
      users.push({
        id,
        role,
        areas: role === 'networkOperator' ? areas : [],
        marketShare,
        capacityPerSecond: this.number(u.capacityPerSecond, D.DEFAULT_SERVICE_USER.capacityPerSecond),
        handshake: this.distribution([...path, 'handshake'], u.handshake, D.DEFAULT_SERVICE_USER.handshake),
        handshakeLossShare: this.number(u.handshakeLossShare, D.DEFAULT_SERVICE_USER.handshakeLossShare),
      });
    });
    const unserved = NETWORK_OPERATOR_AREAS.filter((a) => !servedBy.has(a.id)).map((a) => `${a.id} (${a.name})`);
    if (unserved.length) {
      this.report(['serviceUsers'], `no network operator serves area${unserved.length > 1 ? 's' : ''} ${unserved.join(', ')}`);
    }
    if (suppliers.length === 0) this.report(['serviceUsers'], 'needs at least one supplier');
    else if (sharesGiven) {
      const shares: Record<string, number> = {};
      for (const u of users) if (u.role === 'supplier') shares[u.id] = u.marketShare;
      const sum = Object.values(shares).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > SHARE_TOLERANCE) this.report(['serviceUsers'], `suppliers' market shares must sum to 1 (got ${fmtSum(sum)})`);
    }
    return users;
  }

  regions(v: unknown): Region[] {
    return Array.isArray(v) && v.length > 0 ? (v.filter((r) => (REGIONS as readonly unknown[]).includes(r)) as Region[]) : [...REGIONS];
  }

  /**
   * Codes a steady stream can raise. AD1 comes from powerOutage events, and
   * N12/N13 follow failed service requests, which are not simulated yet.
   */
  generatable(path: Path, code: unknown): void {
    if (code === 'AD1') this.report(path, 'AD1 is raised by the CSPs from power outages: use a powerOutage event');
    else if (code === 'N12' || code === 'N13') this.report(path, `${code} follows a failed service request, which this version does not simulate`);
  }

  background(raw: unknown): Scenario['background'] {
    if (!Array.isArray(raw)) return D.defaultBackground();
    raw.forEach((b, i) => this.generatable(['background', i, 'code'], obj(b).code));
    return raw.map(obj).map((b) => ({
      code: typeof b.code === 'string' ? b.code : '',
      perHubPerDay: this.number(b.perHubPerDay, 0),
      regions: this.regions(b.regions),
    }));
  }

  events(raw: unknown, runLength: number, users: ServiceUserConfig[], estate: EstateConfig): ScenarioEvent[] {
    if (!Array.isArray(raw)) return [];
    const events: ScenarioEvent[] = [];
    raw.forEach((item, i) => {
      const e = obj(item);
      const path = ['events', i];
      const at = this.duration([...path, 'at'], e.at, -1);
      if (at >= runLength) {
        this.report([...path, 'at'], `starts at ${formatDuration(at)}, at or after the end of the run (${formatDuration(runLength)})`);
      }
      const dur = () => this.duration([...path, 'duration'], e.duration, 0, { positive: true });
      const base = { at, ...(typeof e.label === 'string' ? { label: e.label } : {}) };
      switch (e.type) {
        case 'powerOutage': {
          const hasAreas = Array.isArray(e.areas);
          const hasRegions = Array.isArray(e.regions);
          if (hasAreas && hasRegions) this.report(path, 'give areas or regions, not both');
          if (!hasAreas && !hasRegions) this.report(path, 'needs areas or regions (which hubs lose power)');
          const share = this.number(e.share, 1);
          if (share === 0) this.report([...path, 'share'], 'must be > 0 (got 0)');
          events.push({
            type: 'powerOutage',
            ...base,
            areas: hasAreas ? (e.areas as unknown[]).filter(isNum) : [],
            regions: hasAreas ? [] : this.regions(e.regions),
            share,
            duration: dur(),
            restorationSpread: this.duration([...path, 'restorationSpread'], e.restorationSpread, D.DEFAULT_RESTORATION_SPREAD),
          });
          break;
        }
        case 'componentOutage':
          events.push({
            type: 'componentOutage',
            ...base,
            component: e.component as 'dsp',
            duration: dur(),
            ...(e.mode === 'hold' || e.mode === 'drop' ? { mode: e.mode } : {}),
          });
          break;
        case 'serviceUserOutage': {
          if (typeof e.user === 'string' && !users.some((u) => u.id === e.user)) {
            this.report([...path, 'user'], `unknown user ${JSON.stringify(e.user)} (expected one of ${users.map((u) => u.id).join(', ')})`);
          }
          events.push({ type: 'serviceUserOutage', ...base, user: String(e.user), duration: dur() });
          break;
        }
        case 'alertSurge':
          this.generatable([...path, 'code'], e.code);
          events.push({
            type: 'alertSurge',
            ...base,
            code: String(e.code),
            regions: this.regions(e.regions),
            perHubPerDay: this.number(e.perHubPerDay, 0),
            duration: dur(),
          });
          break;
        case 'firmwareCampaign': {
          const mix = estate.firmware[e.deviceType as keyof EstateConfig['firmware']];
          if (mix && typeof e.fromVersion === 'string' && !(e.fromVersion in mix)) {
            this.report(
              [...path, 'fromVersion'],
              `unknown ${e.deviceType} firmware version ${JSON.stringify(e.fromVersion)} (the estate has ${Object.keys(mix).join(', ')})`,
            );
          }
          events.push({
            type: 'firmwareCampaign',
            ...base,
            deviceType: e.deviceType as 'hub',
            ...(typeof e.fromVersion === 'string' ? { fromVersion: e.fromVersion } : {}),
            toVersion: String(e.toVersion),
            share: this.number(e.share, 1),
          });
          break;
        }
        default:
          break; // unknown type: the schema reported it
      }
    });
    // Stable by start time, so the simulator can schedule them in order.
    return events.sort((a, b) => a.at - b.at);
  }
}

function pickBooleans(raw: Obj): Partial<Scenario['output']> {
  const out: Partial<Scenario['output']> = {};
  for (const k of ['duisBodies', 'signPayloads', 'groundTruth'] as const) if (typeof raw[k] === 'boolean') out[k] = raw[k] as boolean;
  return out;
}
