/**
 * From a parsed scenario file (plain data, already checked against the
 * schema) to the resolved Scenario: durations to milliseconds, defaults
 * filled in, and the checks a schema cannot express. Problems go to
 * `report` with the path of the offending value; nothing here knows about
 * YAML or lines. Written to survive data the schema rejected (those fields
 * are skipped, not reported twice), so one pass finds every problem.
 */
import { NETWORK_OPERATOR_AREAS } from '../dcc/areas.js';
import { CSP_NAMES, perRegion, REGIONS, type Region } from '../dcc/regions.js';
import { DEFAULT_CSPS, readCommsHub, readCsp, readDsp, readGateway, readS1sp } from '../network/index.js';
import { formatDuration, parseInstant } from '../params/duration.js';
import { asObj as obj, fmtSum, isNum, isObj, ParamReader, SHARE_TOLERANCE, type Obj, type Path, type Reporter } from '../params/read.js';
import { runWindow } from '../feeds/window.js';
import { WINDOW_MS } from '../feeds/alert-throughput.js';
import * as D from './defaults.js';
import { readRequests } from './requests.js';
import { readOutages } from '../flows/outages/params.js';
import { MAX_DURATION_MS, MAX_DURATION_WORDS } from './schema.js';
import { MAKES, makeIndex } from '../dcc/makes.js';
import type { EstateConfig, Scenario, ScenarioEvent, ServiceUserConfig, VersionMix } from './types.js';

export type { Path, PathSegment, Reporter } from '../params/read.js';
export { formatDuration } from '../params/duration.js';

/** The last time a feed can write (YYYYMMDDHHMMSS.SSS has four year digits). */
const LAST_FEED_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export interface ResolveOptions {
  source: string;
  /** Name used when the file has none. */
  defaultName: string;
  seed?: number;
  /** Run length replacing the file's duration; events from then on are dropped. */
  until?: number;
}

export function resolveScenario(raw: unknown, opts: ResolveOptions, report: Reporter): Scenario {
  const r = new Resolver(report);
  return r.scenario(obj(raw), opts);
}

class Resolver extends ParamReader {
  scenario(raw: Obj, opts: ResolveOptions): Scenario {
    let fileDuration = this.duration(['duration'], raw.duration, D.DEFAULT_DURATION, { positive: true });
    if (fileDuration > MAX_DURATION_MS) {
      this.report(['duration'], `must be at most ${MAX_DURATION_WORDS} (got ${JSON.stringify(raw.duration)})`);
      fileDuration = D.DEFAULT_DURATION;
    }
    let epoch = parseInstant(D.DEFAULT_EPOCH);
    if (typeof raw.epoch === 'string') {
      try {
        epoch = parseInstant(raw.epoch);
      } catch (e) {
        this.report(['epoch'], (e as Error).message);
      }
      // Every feed time, the drain and the last 15-minute throughput window included, has a four-digit year.
      if (runWindow(epoch, opts.until ?? fileDuration).toMs + WINDOW_MS > LAST_FEED_TIME) {
        this.report(['epoch'], `too late: the run, its hour of drain and its last 15-minute window must end by 9999-12-31 (got ${JSON.stringify(raw.epoch)})`);
      }
    }
    const estate = this.estate(obj(raw.estate));
    const serviceUsers = this.serviceUsers(raw.serviceUsers);
    const outages = readOutages(this, ['outages'], raw.outages, serviceUsers.map((u) => u.id));
    const events = this.events(raw.events, fileDuration, serviceUsers, estate, outages.subsystems.map((s) => s.name));
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
      requests: readRequests(this, ['requests'], raw.requests, serviceUsers.filter((u) => u.role === 'supplier').map((u) => u.id)),
      outages,
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
      regionShares = perRegion(() => 0);
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
      prepaymentShare: this.number(raw.prepaymentShare, d.prepaymentShare),
      firmware,
    };
  }

  components(raw: Obj): Scenario['components'] {
    const p = (name: string) => ['components', name];
    // In file order, so that problems are reported in it.
    const commsHub = readCommsHub(this, p('commsHub'), obj(raw.commsHub));
    const [cspNorth, cspCentral, cspSouth] = CSP_NAMES.map((name) => readCsp(this, p(name), obj(raw[name]), DEFAULT_CSPS[name]));
    return {
      commsHub,
      cspNorth,
      cspCentral,
      cspSouth,
      s1sp: readS1sp(this, p('s1sp'), obj(raw.s1sp)),
      dsp: readDsp(this, p('dsp'), obj(raw.dsp)),
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
        ...readGateway(this, path, u),
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
   * N12/N13 from the DSP after a failed future-dated or scheduled service
   * request (src/flows/requests/journey.ts): a stream of them would name no request.
   */
  generatable(path: Path, code: unknown): void {
    if (code === 'AD1') this.report(path, 'AD1 is raised by the CSPs from power outages: use a powerOutage event');
    else if (code === 'N12' || code === 'N13') this.report(path, `${code} follows a failed future-dated or scheduled service request: it comes from the requests section, not a stream`);
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

  events(raw: unknown, runLength: number, users: ServiceUserConfig[], estate: EstateConfig, subsystems: string[]): ScenarioEvent[] {
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
          // A version another campaign of the run installs is one a campaign may start from.
          const installed = raw.map(obj).filter((o) => o.type === 'firmwareCampaign' && o.deviceType === e.deviceType && o !== e).map((o) => o.toVersion);
          if (mix && typeof e.fromVersion === 'string' && !(e.fromVersion in mix) && !installed.includes(e.fromVersion)) {
            this.report(
              [...path, 'fromVersion'],
              `unknown ${e.deviceType} firmware version ${JSON.stringify(e.fromVersion)} (the estate has ${Object.keys(mix).join(', ')})`,
            );
          }
          const kind = e.deviceType as keyof EstateConfig['firmware'];
          if (typeof e.make === 'string' && kind in MAKES && makeIndex(kind, e.make) < 0) {
            this.report([...path, 'make'], `${e.make} is no ${e.deviceType} make (expected one of ${MAKES[kind].map((m) => m.name).join(', ')})`);
          }
          if (e.share !== undefined && e.count !== undefined) this.report(path, 'give share or count, not both');
          if (mix && typeof e.toVersion === 'string' && e.fromVersion === e.toVersion) {
            this.report([...path, 'toVersion'], `is the same as fromVersion (${JSON.stringify(e.toVersion)}): nothing to update`);
          }
          const activateAt = e.activateAt === undefined ? NaN : this.duration([...path, 'activateAt'], e.activateAt, NaN);
          if (activateAt <= at) this.report([...path, 'activateAt'], `must be after the campaign starts (${formatDuration(at)}), got ${formatDuration(activateAt)}`);
          events.push({
            type: 'firmwareCampaign',
            ...base,
            deviceType: kind,
            ...(typeof e.fromVersion === 'string' ? { fromVersion: e.fromVersion } : {}),
            toVersion: String(e.toVersion),
            share: this.number(e.share, 1),
            count: typeof e.count === 'number' ? e.count : 0,
            regions: this.regions(e.regions),
            ...(typeof e.make === 'string' ? { make: e.make } : {}),
            perHour: this.number(e.perHour, D.DEFAULT_FIRMWARE_PER_HOUR),
            imageSize: typeof e.imageSize === 'number' ? e.imageSize : 0,
            activateAt,
          });
          break;
        }
        case 'subsystemOutage':
        case 'plannedMaintenance': {
          if (typeof e.subsystem === 'string' && !subsystems.includes(e.subsystem)) {
            this.report([...path, 'subsystem'], `unknown sub-system ${JSON.stringify(e.subsystem)} (expected one of ${subsystems.join(', ')})`);
          }
          events.push({ type: e.type, ...base, subsystem: String(e.subsystem), duration: dur() });
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
