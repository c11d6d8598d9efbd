/**
 * A power outage: the canonical alert storm (DOMAIN.md). Every hub that
 * loses power sends a last gasp; the CSP raises AD1 for each hub still off
 * 3 minutes after its last gasp (seed 001 section 5.2: "CSP notification of
 * power outage greater than or equal to three minutes"); on restoration each
 * meter that comes back sends 8F35, or 8F36 when the outage lasted 3 minutes
 * or more, all aimed at the network operator.
 *
 * SMETS1 hubs in the area lose power too and send restoration alerts through
 * their S1SP; AD1 is a CSP notification, so they raise none (an assumption:
 * the sources name AD1 for the CSPs only).
 *
 * Each CSP confirms with its own ad1Threshold. Whether a meter says 8F35 or
 * 8F36 is the meter's rule, a fixed 3 minutes (seed 004 Alerts Management:
 * "Outage >= 3 minutes"), whatever a CSP is configured with.
 *
 * A hub installed and left without SMWAN (DOMAIN.md "Install and Leave")
 * sends no last gasp; neither does a hub whose radio fails as power goes
 * (commsHub.lastGaspSuccessShare), and a CSP in a drop-mode outage loses the
 * ones that reach it. Where the CSP would have raised AD1 (the hub still off
 * after the threshold), the journey records it as lost, for the ground truth.
 * Each outage event draws from its own stream, `events/<index>-powerOutage`.
 */
import type { Simulator } from '../../engine/simulator.js';
import { FifoChain, SortedChain } from '../../engine/chains.js';
import type { RandomStreams, Rng } from '../../engine/random.js';
import { DROPPED } from '../../engine/resources/index.js';
import type { Network } from '../../network/index.js';
import { REGION_COUNT, regionIndex, SMETS1 } from '../../dcc/regions.js';
import { HUB_COMMISSIONED } from '../../estate/index.js';
import type { PowerOutageEvent } from '../../scenario/types.js';
import { eventStreamName } from '../stream-names.js';
import type { AlertJourney } from './journey.js';
import { LOST_AT_CSP, LOST_AT_HUB, LOST_COMPONENT_OUTAGE, LOST_LAST_GASP_NOT_SENT, LOST_NO_WAN } from './table.js';

/** The meter's rule for 8F36 over 8F35 (seed 004 Alerts Management: "Outage >= 3 minutes"). */
export const LONG_SUPPLY_OUTAGE_MS = 3 * 60_000;

export interface OutageCodes {
  AD1: number;
  '8F35': number;
  '8F36': number;
}

export interface OutageEstate {
  hubCount: number;
  hubRegion: Uint8Array;
  hubArea: Uint8Array;
  /** HUB_* bits (HUB_COMMISSIONED: the hub has SMWAN). */
  hubFlags: Uint8Array;
  /** The premises' ESME (every premises has one). */
  esmeOf(hub: number): number;
  setPowered(hub: number, on: boolean): void;
  isPowered(hub: number): boolean;
}

export class PowerOutages {
  /** When each hub lost power (NaN while powered). Allocated at the first outage. */
  private offSince: Float64Array | null = null;
  /** Which scenario event cut each hub's power. */
  private offCause: Uint16Array | null = null;
  private readonly kStart: number;
  /** For a last gasp held by a CSP outage and retried when it is back. */
  private readonly kLastGasp: number;
  /** Per CSP region: its AD1 confirmations, each at the time a last gasp arrived (or was lost) plus that CSP's threshold. */
  private readonly ad1Checks: FifoChain[];
  private readonly lastGasps: SortedChain[];
  private readonly restorations: SortedChain[];
  /** Per CSP region: its ad1Threshold. */
  private readonly thresholds: number[];
  private readonly rngs: Rng[];
  readonly counts = {
    hubsOff: 0, lastGasps: 0,
    /** Last gasps that never reached a CSP, all causes; of those, from hubs without WAN. */
    lastGaspsLost: 0, lastGaspsNoWan: 0,
    ad1: 0,
    /** AD1s the CSPs would have raised had the last gasp reached them. */
    ad1Lost: 0,
    restorations: 0,
  };

  constructor(
    private readonly sim: Simulator,
    private readonly net: Network,
    private readonly estate: OutageEstate,
    private readonly journey: AlertJourney,
    private readonly codes: OutageCodes,
    private readonly events: PowerOutageEvent[],
    /** Scenario event index + 1 of each outage (for the ground truth's `event`). */
    private readonly causes: number[],
    streams: RandomStreams,
  ) {
    this.rngs = causes.map((c) => streams.stream(eventStreamName(c - 1, 'powerOutage')));
    this.kStart = sim.on('outage.start', (i) => this.start(i));
    this.kLastGasp = sim.on('outage.lastGasp', (hub) => this.lastGasp(hub));
    // A storm's last gasps, AD1 checks and restorations are chains: one queue entry each.
    this.thresholds = net.csps.map((c) => c.config.ad1Threshold);
    this.ad1Checks = net.csps.map((c) => new FifoChain(sim, `outage.ad1Check/${c.name}`, (hub, arrival) => this.ad1Check(hub, arrival)));
    this.lastGasps = events.map((_, i) => new SortedChain(sim, `outage.lastGasps#${i}`, (hub) => this.lastGasp(hub)));
    this.restorations = events.map((_, i) => new SortedChain(sim, `outage.restorations#${i}`, (hub) => this.restore(hub)));
    events.forEach((e, i) => sim.at(e.at, this.kStart, i));
  }

  private start(i: number): void {
    const e = this.events[i];
    const est = this.estate;
    if (!this.offSince) {
      this.offSince = new Float64Array(est.hubCount).fill(NaN);
      this.offCause = new Uint16Array(est.hubCount);
    }
    const offSince = this.offSince;
    const offCause = this.offCause!;
    const inArea = new Uint8Array(256);
    for (const a of e.areas) inArea[a] = 1;
    const inRegion = new Uint8Array(REGION_COUNT);
    for (const r of e.regions) inRegion[regionIndex(r)] = 1;
    const byArea = e.areas.length > 0;
    const now = this.sim.now;
    const hubNet = this.net.commsHub;
    const restoreAt = now + e.duration;
    const spread = e.restorationSpread;
    const rng = this.rngs[i];
    const share = e.share;
    const gaspTimes = new Float64Array(est.hubCount);
    const gaspHubs = new Int32Array(est.hubCount);
    let gasps = 0;
    const restoreTimes = new Float64Array(est.hubCount);
    const restoreHubs = new Int32Array(est.hubCount);
    let restores = 0;
    for (let h = 0; h < est.hubCount; h++) {
      if (byArea ? inArea[est.hubArea[h]] === 0 : inRegion[est.hubRegion[h]] === 0) continue;
      if (share < 1 && rng() >= share) continue;
      if (!est.isPowered(h)) continue; // already off in an overlapping outage
      est.setPowered(h, false);
      offSince[h] = now;
      offCause[h] = this.causes[i];
      this.counts.hubsOff++;
      const region = est.hubRegion[h];
      if (region !== SMETS1) {
        if ((est.hubFlags[h] & HUB_COMMISSIONED) === 0) {
          this.counts.lastGaspsLost++;
          this.counts.lastGaspsNoWan++;
          this.ad1Checks[region].push(now + this.thresholds[region], h, -LOST_NO_WAN);
        } else if (hubNet.lastGaspReaches()) {
          gaspTimes[gasps] = now + hubNet.wanTransit(region);
          gaspHubs[gasps++] = h;
        } else {
          this.counts.lastGaspsLost++;
          this.ad1Checks[region].push(now + this.thresholds[region], h, -LOST_LAST_GASP_NOT_SENT);
        }
      }
      restoreTimes[restores] = spread > 0 ? restoreAt + Math.round(rng() * spread) : restoreAt;
      restoreHubs[restores++] = h;
    }
    this.lastGasps[i].start(gaspTimes, gaspHubs, gasps);
    this.restorations[i].start(restoreTimes, restoreHubs, restores);
  }

  private lastGasp(hub: number): void {
    const region = this.estate.hubRegion[hub];
    const csp = this.net.csps[region];
    const now = this.sim.now;
    const received = csp.gate.receive(now);
    if (received === DROPPED) {
      this.counts.lastGaspsLost++;
      this.ad1Checks[region].push(now + this.thresholds[region], hub, -LOST_COMPONENT_OUTAGE);
      return;
    }
    if (received > now) {
      this.sim.at(received, this.kLastGasp, hub);
      return;
    }
    this.counts.lastGasps++;
    // The CSP confirms the outage once the hub has been silent for the threshold.
    this.ad1Checks[region].push(now + this.thresholds[region], hub, now);
  }

  /** `arrival`: the last gasp's arrival at the CSP, or minus the LOST_* reason it never arrived. */
  private ad1Check(hub: number, arrival: number): void {
    const offSince = this.offSince!;
    const since = offSince[hub];
    const region = this.estate.hubRegion[hub];
    if (arrival < 0) {
      // Power back (or back and off again later) before the threshold: no AD1 was missed.
      if (this.estate.isPowered(hub) || since > this.sim.now - this.thresholds[region]) return;
      const reason = -arrival;
      this.counts.ad1Lost++;
      const at = reason === LOST_COMPONENT_OUTAGE ? LOST_AT_CSP + region : LOST_AT_HUB;
      this.journey.loseCspAlert(this.codes.AD1, hub, this.estate.esmeOf(hub), since, at, reason, this.offCause![hub]);
      return;
    }
    const lastGaspArrival = arrival;
    // Power back (or back and off again in a later outage) before the threshold: no AD1.
    if (this.estate.isPowered(hub) || since > lastGaspArrival) return;
    const csp = this.net.csps[region];
    const passed = this.sim.now + csp.ad1Delay();
    this.counts.ad1++;
    this.journey.raiseCspAlert(this.codes.AD1, hub, this.estate.esmeOf(hub), since, lastGaspArrival, passed, this.offCause![hub]);
  }

  private restore(hub: number): void {
    const est = this.estate;
    const offSince = this.offSince!;
    const since = offSince[hub];
    const now = this.sim.now;
    est.setPowered(hub, true);
    offSince[hub] = NaN;
    this.counts.restorations++;
    const code = now - since >= LONG_SUPPLY_OUTAGE_MS ? this.codes['8F36'] : this.codes['8F35'];
    const t = now + this.net.commsHub.restorationDelay();
    this.journey.raiseDeviceAlert(code, hub, est.esmeOf(hub), t, this.offCause![hub], since, now);
  }
}
