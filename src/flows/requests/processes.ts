/**
 * Service Users' business processes as orchestrations (seed 004 section
 * 2.3.2 Table 1): an install, a change of supplier, a change of tenancy, a
 * change of mode, a tariff update, a top-up, a billing read, each an
 * instance that sends its SRVs one step at a time through the request
 * journey and learns of each response from it.
 *
 * A User waits for a step's success before it sends the next (seed 003
 * section 4: "most processes have a dependence where a successful SRV
 * response is required before the next SRV can be sent"); after a failure
 * it resends the step (a new userAttempt) after its resend delay, up to its
 * attempts, then abandons the process. A top-up is resent until it
 * succeeds (seed 004 2.4.4 PP1 counts the attempts before success). A
 * failed scheduled read (5.1) may be chased by an on-demand read (4.6.1).
 * Some Users do not wait (seed 003 section 4: "orchestrations that run for
 * several SRVs without taking into account the requirement for success of
 * a previous dependent SRV"): they send each step a short gap after the
 * last, and a step that reaches its device before the step it depends on
 * was carried out gets no answer from it; its failure is marked notWaited.
 *
 * Instances are rows of typed arrays (src/engine/rows.ts); each generator
 * of starts (a process kind in a region) holds one pending kernel event,
 * and each instance at most one (its next send).
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RandomStreams, Rng } from '../../engine/random.js';
import { compile, type Sampler } from '../../engine/distributions.js';
import { PAGE_BITS, PackedRows } from '../../engine/rows.js';
import { NORTH, REGIONS, SMETS1 } from '../../dcc/regions.js';
import { RC_SUCCESS, SRV_CATALOGUE, processIndex, srvIndex } from '../../dcc/srvs.js';
import { ESME, GPF, GSME } from '../../estate/estate.js';
import type { Network } from '../../network/index.js';
import { DAILY_SHAPES } from '../../scenario/requests.js';
import type { ProcessKind, ProcessesConfig } from '../../scenario/processes.js';
import type { ProcessHooks, RequestJourney } from './journey.js';
import type { TrafficEstate } from './traffic.js';
import { PREMISES_STRIDE, RegionHubs } from '../region-hubs.js';
import { FUTURE_DATED_MAX, FUTURE_DATED_MIN, hourlyRates, nextArrival } from './arrivals.js';
import { Q, TIMING_FUTURE_DATED, TIMING_ON_DEMAND, TIMING_SCHEDULED } from './table.js';

/** What a step is sent to: a device of the premises, or the hub (requests to the CHF or about it). */
const HUB = -1;
/** A step only for premises with gas (commissioning the GSME, joining the GPF to it). */
const GAS = 1;
/** A step sent only after the previous failed (a chase), with the chase share. */
const CHASE = 2;

interface Step {
  srv: number;
  target: number;
  flags: number;
  /** Not carried out for SMETS1 (seed 004 Table 1 "(n/a)"). */
  smets2Only: boolean;
  /** TIMING_SCHEDULED for an SRV the DSP runs on a schedule, else TIMING_ON_DEMAND (future-dated per instance). */
  timing: number;
}

interface Template {
  process: number;
  steps: Step[];
  /** A User's orchestration that does not wait applies (several dependent steps, no chase). */
  dependent: boolean;
}

function step(srv: string, target: number, flags = 0): Step {
  const i = srvIndex(srv);
  const def = SRV_CATALOGUE[i];
  return { srv: i, target, flags, smets2Only: !def.smets1, timing: def.timings[0] === 'scheduled' ? TIMING_SCHEDULED : TIMING_ON_DEMAND };
}

function template(process: string, steps: Step[]): Template {
  return { process: processIndex(process), steps, dependent: steps.length > 1 && steps.every((s) => (s.flags & CHASE) === 0) };
}

/** Seed 004 Table 1's sequences; the 8.1.1 of the GSME and 8.7.2 only where there is gas. */
const INSTALL = template('Install and Commission', [
  step('8.11', HUB),
  step('6.21', HUB),
  step('8.1.1', ESME),
  step('8.1.1', GSME, GAS),
  step('8.7.2', GPF, GAS),
  step('6.20.1', ESME),
  step('1.1.1', ESME),
  step('6.8', ESME),
  step('8.14.1', HUB),
]);
/** An install without SMWAN: nothing reaches the hub; the installer reports it (DOMAIN.md, Install and Leave). */
const INSTALL_AND_LEAVE = template('Install and Commission', [step('8.14.2', HUB)]);

const TEMPLATES: Record<ProcessKind, Template> = {
  installAndCommission: INSTALL,
  changeOfSupplier: template('Change of Supplier', [step('6.23', ESME), step('1.1.1', ESME), step('6.8', ESME)]),
  changeOfTenancy: template('Change of Tenancy', [step('3.2', ESME), step('3.5', ESME), step('1.1.1', ESME), step('1.6', ESME)]),
  changeOfMode: template('In Life Device Management', [step('2.1', ESME), step('1.6', ESME), step('1.1.1', ESME)]),
  tariffUpdate: template('Tariff Updates', [step('1.1.1', ESME)]),
  topUp: template('Prepayment Top Up', [step('2.2', ESME)]),
  scheduledRead: template('Billing', [step('5.1', ESME), step('4.6.1', ESME, CHASE)]),
  onDemandRead: template('Billing', [step('4.6.1', ESME)]),
};

/**
 * A column's place in a ProcessRows row. The columns a step's send and its
 * response read first share the first cache line.
 */
const enum P {
  template, pos, stepNo, attempt, carried, inFlight, waits, finished,
  hub, esme, region, user, serial, future, config, gas,
  clockOffset, repId,
}
/** Numbers a row: the 18 columns on three cache lines. */
const P_WIDTH = 24;
const P_PAGE_MASK = (1 << PAGE_BITS) - 1;

/** A fresh instance: at its first step, first attempt, nothing carried out or in flight. */
function blankInstance(): Float64Array {
  const b = new Float64Array(P_WIDTH);
  b[P.stepNo] = 1;
  b[P.attempt] = 1;
  return b;
}

/**
 * Process instances under way, one row after another (the engine's
 * PackedRows): an instance is read again minutes after it was last touched
 * (an install's next step, a read's chase), and its columns as parallel
 * arrays were as many cache misses. An instance has at most one pending
 * event (its next send) and is released only when none is pending, so its
 * row needs no generation. The columns (P):
 *
 * - template: index into the processes' templates (config order; install
 *   and leave last); config: index into the scenario's process configs;
 * - pos, stepNo, attempt: the current step's position in the template, its
 *   number in the instance (1 first), the User's attempt at it;
 * - carried: the highest step number carried out, all before it carried
 *   out too; inFlight: requests sent and not yet ended;
 * - waits: 1 when the User waits for each step's success; future: 1 when
 *   its requests are future-dated; finished: 1 when nothing more is to be
 *   sent (released when inFlight reaches 0);
 * - hub, esme (most steps' target), region, user, gas, serial (processId's);
 * - clockOffset, repId: the hub's SDK clock offset (ms) and REP ID, for the
 *   requests' rows (src/flows/requests/table.ts says why).
 */
class ProcessRows extends PackedRows {
  constructor() {
    super(P_WIDTH, new Map(), blankInstance(), 256);
  }

  alloc(): number {
    return this.take();
  }

  get(i: number, c: P): number {
    return this.pages[i >>> PAGE_BITS][(i & P_PAGE_MASK) * P_WIDTH + c];
  }

  set(i: number, c: P, v: number): void {
    this.pages[i >>> PAGE_BITS][(i & P_PAGE_MASK) * P_WIDTH + c] = v;
  }
}

interface Generator {
  config: number;
  template: number;
  region: number;
  /** RegionHubs.premisesOf(): each hub with its supplier and ESME. */
  premises: Int32Array;
  /** Hubs in it. */
  hubs: number;
  rates: Float64Array;
  rng: Rng;
  /** Its own stream for the premises it picks, drawn PREMISES_AHEAD at a time (refill()). */
  premisesRng: Rng;
}

/**
 * Premises each generator picks ahead of its starts. A pick is a read at a
 * random place in an estate-sized array, a cache miss on a large estate (at
 * 2 million hubs, half of what a start cost): picked several at a time and
 * read together, the misses overlap instead of stalling the thread in turn.
 */
const PREMISES_AHEAD = 8;
/** Numbers a premises in `ahead`: RegionHubs' hub, supplier and ESME, then the hub's SDK clock offset and REP ID. */
const AHEAD_STRIDE = PREMISES_STRIDE + 2;

export class BusinessProcesses implements ProcessHooks {
  private readonly T = new ProcessRows();
  private readonly templates: Template[];
  private readonly gens: Generator[] = [];
  private readonly clock: Float64Array;
  /** Per generator: the premises of its next PREMISES_AHEAD starts (AHEAD_STRIDE numbers each), and the next of them to use. */
  private readonly ahead: Float64Array;
  private readonly aheadAt: Int32Array;
  /** refill()'s picks, as places in a premises array. */
  private readonly picks = new Int32Array(PREMISES_AHEAD);
  private readonly kStart: number;
  private readonly kNext: number;
  /** Per Service User: 1 if its orchestrations do not wait. */
  readonly nonWaiting: Uint8Array;
  private readonly rng: Rng;
  private readonly turnaround: Sampler;
  readonly counts = { started: 0, completed: 0, abandoned: 0, resends: 0, chases: 0, skippedNoDevice: 0, skippedNoUser: 0 };

  constructor(
    private readonly sim: Simulator,
    private readonly estate: TrafficEstate,
    private readonly net: Network,
    private readonly journey: RequestJourney,
    private readonly config: ProcessesConfig,
    userIds: readonly string[],
    random: RandomStreams,
    private readonly epoch: number,
    private readonly end: number,
    regionHubs = new RegionHubs(estate),
  ) {
    this.templates = [...config.processes.map((p) => TEMPLATES[p.kind]), INSTALL_AND_LEAVE];
    this.rng = random.stream('requests/processes');
    this.turnaround = compile(config.turnaround, random.stream('requests/processes/turnaround'));
    this.nonWaiting = this.chooseNonWaiting(userIds, random.stream('requests/processes/nonWaiting'));
    config.processes.forEach((p, c) => {
      for (let region = 0; region < REGIONS.length; region++) {
        // SMETS1 meters are no longer installed (seed 004 Table 1: 6.21, 6.20.1, 8.14.1 n/a).
        if (p.kind === 'installAndCommission' && region === SMETS1) continue;
        const premises = regionHubs.premisesOf(region, p.kind === 'topUp');
        const hubs = premises.length / PREMISES_STRIDE;
        const perDay = p.perHubPerDay * hubs;
        if (perDay <= 0) continue;
        this.gens.push({
          config: c,
          template: c,
          region,
          premises,
          hubs,
          rates: hourlyRates(perDay, DAILY_SHAPES[p.shape]),
          rng: random.stream(`requests/processes/${p.kind}/${REGIONS[region]}`),
          premisesRng: random.stream(`requests/processes/${p.kind}/${REGIONS[region]}/premises`),
        });
      }
    });
    this.clock = new Float64Array(this.gens.length);
    this.ahead = new Float64Array(this.gens.length * PREMISES_AHEAD * AHEAD_STRIDE);
    this.aheadAt = new Int32Array(this.gens.length).fill(PREMISES_AHEAD);
    this.kStart = sim.on('requests.process.start', (g) => this.started(g));
    this.kNext = sim.on('requests.process.next', (i) => this.sendStep(i));
    journey.orchestrate(this);
    for (let g = 0; g < this.gens.length; g++) this.advance(g);
  }

  /** The supplier Users that do not wait: those named, else round(share x suppliers) of them drawn. */
  private chooseNonWaiting(userIds: readonly string[], rng: Rng): Uint8Array {
    const out = new Uint8Array(userIds.length);
    if (this.config.nonWaitingUsers !== null) {
      for (const id of this.config.nonWaitingUsers) if (userIds.includes(id)) out[userIds.indexOf(id)] = 1;
      return out;
    }
    const suppliers = [...this.net.supplierUsers];
    const n = Math.round(this.config.nonWaitingShare * suppliers.length);
    for (let k = 0; k < n; k++) {
      const j = k + Math.floor(rng() * (suppliers.length - k));
      [suppliers[k], suppliers[j]] = [suppliers[j], suppliers[k]];
      out[suppliers[k]] = 1;
    }
    return out;
  }

  private advance(g: number): void {
    const gen = this.gens[g];
    const t = nextArrival(this.clock[g], gen.rates, gen.rng, this.epoch, this.end);
    this.clock[g] = t;
    if (t < this.end) this.sim.at(Math.max(this.sim.now, Math.round(t)), this.kStart, g);
  }

  /** Where generator `g`'s next start's premises are in `ahead`, picking more when its batch is spent. */
  private nextPremises(g: number): number {
    let k = this.aheadAt[g];
    if (k === PREMISES_AHEAD) {
      this.refill(g);
      k = 0;
    }
    this.aheadAt[g] = k + 1;
    return (g * PREMISES_AHEAD + k) * AHEAD_STRIDE;
  }

  /**
   * Generator `g`'s next PREMISES_AHEAD premises: all picked first, then all
   * read, then each hub's clock offset and REP ID read, so that each round of
   * reads' misses overlap.
   */
  private refill(g: number): void {
    const gen = this.gens[g];
    const picks = this.picks;
    for (let k = 0; k < PREMISES_AHEAD; k++) picks[k] = PREMISES_STRIDE * Math.floor(gen.premisesRng() * gen.hubs);
    const premises = gen.premises;
    const ahead = this.ahead;
    const first = g * PREMISES_AHEAD * AHEAD_STRIDE;
    for (let k = 0, o = first; k < PREMISES_AHEAD; k++, o += AHEAD_STRIDE) {
      const at = picks[k];
      ahead[o] = premises[at];
      ahead[o + 1] = premises[at + 1];
      ahead[o + 2] = premises[at + 2];
    }
    const hubs = this.net.commsHub;
    const repIds = gen.region === NORTH ? this.estate.hubRepId : null;
    for (let k = 0, o = first; k < PREMISES_AHEAD; k++, o += AHEAD_STRIDE) {
      ahead[o + 3] = hubs.sdkOffset(ahead[o]);
      ahead[o + 4] = repIds === null ? 0 : repIds[ahead[o]];
    }
  }

  /** A generator's arrival: a new instance at a premises of its region. */
  private started(g: number): void {
    const gen = this.gens[g];
    const at = this.nextPremises(g);
    const hub = this.ahead[at];
    const supplier = this.ahead[at + 1];
    const esme = this.ahead[at + 2];
    const clockOffset = this.ahead[at + 3];
    const repId = this.ahead[at + 4];
    const c = this.config.processes[gen.config];
    let user = this.net.supplierUsers[supplier];
    // Change of Supplier: the gaining supplier sends it.
    if (c.kind === 'changeOfSupplier' && this.net.supplierUsers.length > 1) {
      const n = this.net.supplierUsers.length;
      user = this.net.supplierUsers[(supplier + 1 + Math.floor(gen.rng() * (n - 1))) % n];
    }
    this.advance(g);
    if (user === undefined || user < 0) {
      this.counts.skippedNoUser++;
      return;
    }
    if (esme < 0) {
      this.counts.skippedNoDevice++;
      return;
    }
    const T = this.T;
    const i = T.alloc();
    const leave = c.kind === 'installAndCommission' && gen.rng() < this.config.installAndLeaveShare;
    T.set(i, P.template, leave ? this.templates.length - 1 : gen.template);
    T.set(i, P.config, gen.config);
    T.set(i, P.hub, hub);
    T.set(i, P.esme, esme);
    T.set(i, P.clockOffset, clockOffset);
    T.set(i, P.repId, repId);
    T.set(i, P.region, gen.region);
    T.set(i, P.user, user);
    // Only an install asks whether there is gas (two scans of the premises' devices).
    T.set(i, P.gas, c.kind === 'installAndCommission' && this.estate.deviceOf(hub, GSME) >= 0 && this.estate.deviceOf(hub, GPF) >= 0 ? 1 : 0);
    T.set(i, P.serial, this.journey.newProcess());
    T.set(i, P.waits, this.nonWaiting[user] === 1 && this.templates[T.get(i, P.template)].dependent ? 0 : 1);
    T.set(i, P.future, c.futureDatedShare > 0 && gen.rng() < c.futureDatedShare ? 1 : 0);
    this.counts.started++;
    T.set(i, P.pos, this.applicable(i, 0, false));
    this.sendStep(i);
  }

  /** The first position from `pos` whose step applies to instance i (chases only after a failure, by the share); steps.length: none. */
  private applicable(i: number, pos: number, afterFailure: boolean): number {
    const T = this.T;
    const steps = this.templates[T.get(i, P.template)].steps;
    for (; pos < steps.length; pos++) {
      const s = steps[pos];
      if (s.smets2Only && T.get(i, P.region) === SMETS1) continue;
      if ((s.flags & GAS) !== 0 && T.get(i, P.gas) === 0) continue;
      if ((s.flags & CHASE) !== 0 && !(afterFailure && this.rng() < this.config.readChaseShare)) continue;
      return pos;
    }
    return pos;
  }

  /** Sends instance i's current step now; a User that does not wait schedules the next one at once. */
  private sendStep(i: number): void {
    const T = this.T;
    const now = this.sim.now;
    // No new request once the run's end has come: the instance stops where it is.
    if (now >= this.end) return this.finish(i);
    const t = this.templates[T.get(i, P.template)];
    const s = t.steps[T.get(i, P.pos)];
    const hub = T.get(i, P.hub);
    const device = s.target === HUB ? -1 : s.target === ESME ? T.get(i, P.esme) : this.estate.deviceOf(hub, s.target);
    let timing = s.timing;
    let execution = NaN;
    if (timing === TIMING_ON_DEMAND && T.get(i, P.future) === 1) {
      timing = TIMING_FUTURE_DATED;
      execution = now + Math.round(FUTURE_DATED_MIN + this.rng() * (FUTURE_DATED_MAX - FUTURE_DATED_MIN));
    }
    T.set(i, P.inFlight, T.get(i, P.inFlight) + 1);
    // A User that waits does nothing more in this event after the send (both callers end with sendStep).
    const waits = T.get(i, P.waits) === 1;
    // The step's target was chosen by type: the device's type is the step's.
    const type = device >= 0 ? s.target : -1;
    this.journey.sendStep(s.srv, timing, hub, device, type, T.get(i, P.region), T.get(i, P.user), execution, i, t.process, T.get(i, P.serial), T.get(i, P.stepNo), T.get(i, P.attempt), T.get(i, P.clockOffset), T.get(i, P.repId), waits);
    if (waits) return;
    const next = this.applicable(i, T.get(i, P.pos) + 1, false);
    if (next >= t.steps.length) {
      T.set(i, P.finished, 1);
      return;
    }
    T.set(i, P.pos, next);
    T.set(i, P.stepNo, T.get(i, P.stepNo) + 1);
    this.sim.at(now + this.config.notWaitingGap, this.kNext, i);
  }

  /** A waiting User's step is sent after the one before succeeded (or, a chase, because it failed): always ready. */
  ready(row: number): boolean {
    const R = this.journey.table;
    const i = R.get(row, Q.owner);
    return this.T.get(i, P.waits) === 1 || this.T.get(i, P.carried) >= R.get(row, Q.step) - 1;
  }

  carriedOut(row: number): void {
    const R = this.journey.table;
    const i = R.get(row, Q.owner);
    if (R.get(row, Q.step) === this.T.get(i, P.carried) + 1) this.T.set(i, P.carried, R.get(row, Q.step));
  }

  completed(row: number, answered: boolean): void {
    const R = this.journey.table;
    const T = this.T;
    const i = R.get(row, Q.owner);
    T.set(i, P.inFlight, T.get(i, P.inFlight) - 1);
    if (T.get(i, P.waits) === 0 || T.get(i, P.finished) === 1) {
      if (T.get(i, P.finished) === 1 && T.get(i, P.inFlight) === 0) this.done(i);
      return;
    }
    const now = this.sim.now;
    // The User knows of a success only when the response reached it.
    const success = answered && R.get(row, Q.code) === RC_SUCCESS && R.get(row, Q.tUserReceived) === R.get(row, Q.tUserReceived);
    const steps = this.templates[T.get(i, P.template)].steps;
    if (success) {
      const next = this.applicable(i, T.get(i, P.pos) + 1, false);
      if (next >= steps.length) return this.done(i);
      T.set(i, P.pos, next);
      T.set(i, P.stepNo, T.get(i, P.stepNo) + 1);
      T.set(i, P.attempt, 1);
      this.sim.at(now + Math.round(this.turnaround()), this.kNext, i);
      return;
    }
    const c = this.config.processes[T.get(i, P.config)];
    if (T.get(i, P.attempt) < c.attempts) {
      T.set(i, P.attempt, T.get(i, P.attempt) + 1);
      this.counts.resends++;
      this.sim.at(now + c.resendDelay, this.kNext, i);
      return;
    }
    const chase = this.applicable(i, T.get(i, P.pos) + 1, true);
    if (chase < steps.length && (steps[chase].flags & CHASE) !== 0) {
      this.counts.chases++;
      T.set(i, P.pos, chase);
      T.set(i, P.stepNo, T.get(i, P.stepNo) + 1);
      T.set(i, P.attempt, 1);
      this.sim.at(now + Math.round(this.turnaround()), this.kNext, i);
      return;
    }
    this.counts.abandoned++;
    this.T.release(i);
  }

  private done(i: number): void {
    this.counts.completed++;
    this.T.release(i);
  }

  /** Nothing more to send: released now, or when its last request ends. */
  private finish(i: number): void {
    this.T.set(i, P.finished, 1);
    if (this.T.get(i, P.inFlight) === 0) this.T.release(i);
  }

  /** Instances under way. */
  get size(): number {
    return this.T.size;
  }
}
