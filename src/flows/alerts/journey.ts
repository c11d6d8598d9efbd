/**
 * The alert journey: a Device Alert born in a meter (or a DCC Alert raised
 * by a CSP) travels Comms Hub -> CSP (or S1SP) -> DSP -> Service User, with
 * one kernel event per hop. Every hop's true time is kept in the AlertTable;
 * the recorder turns rows into feed records at the hop that completes them.
 *
 * The hops, in order, and the timing point each stamps (seed 001 section
 * 3.2, requirement [A]; SMETS1 points from seed 000, CR1438):
 *
 *   raiseDeviceAlert  alert condition; received by the CHF (HAN); WAN send
 *                     and HubTimestamp (SMETS1: T1); a hub installed and
 *                     left without SMWAN sends nothing: lost at the hub
 *   raiseCspAlert     AD1: the last gasp's arrival at the CSP and the CSP
 *                     passing the DCC Alert to the DSP
 *   raiseRequestFailure  N12, N13: the DSP raises a failure alert after a
 *                     service request (src/flows/requests/journey.ts)
 *   raiseDspAlert     any DCC Alert the DSP raises itself (N12, N13; the
 *                     firmware path's, src/flows/firmware/)
 *   cspArrive         received by the CSP; its departure time, passed to the DSP
 *   cspDepart         the CSP's record (CSP North RNI, Central/South forward)
 *   s1spArrive        T2, received by the SMSO; T4, notified to the interface
 *   dspArrive         received by the DSP (SMETS1: T5); validation
 *   route             access control, routing and the User's throttle
 *   deliver           passed to the Service User (first attempt; retries after)
 *   handshake         the Service User's handshake
 *   finish            the journey's outcome: delivered, failed, rejected, lost
 *   failedQueueExpiry the DSP's failed queue discards an undelivered alert
 *                     after dsp.failedQueueRetention (DOMAIN.md "DUIS": 2 days)
 *
 * Longer than most files on purpose: the journey is one state machine, read
 * top to bottom in the order of the hops above; split, the story scatters.
 */
import type { Simulator } from '../../engine/simulator.js';
import { FifoChain } from '../../engine/chains.js';
import { DROPPED } from '../../engine/resources/index.js';
import type { Network } from '../../network/index.js';
import { NORTH, SMETS1 } from '../../dcc/regions.js';
import { HUB_COMMISSIONED } from '../../estate/index.js';
import {
  AlertRows,
  C,
  LOST_AT_CSP,
  LOST_AT_DSP,
  LOST_AT_HUB,
  LOST_AT_S1SP,
  LOST_COMPONENT_OUTAGE,
  LOST_NO_WAN,
  OUTCOME_DELIVERED,
  OUTCOME_FAILED,
  OUTCOME_LOST,
  OUTCOME_REJECTED,
} from './table.js';

/** Who an alert code is for, as the DSP routes it. */
export const TO_SUPPLIER = 0;
export const TO_NETWORK_OPERATOR = 1;
/** Device Alerts aimed at the DSP's ACB, which raises DCC Alerts from them. */
export const TO_DSP = 2;

/** What the journey needs to know of the alert catalogue, by code index. */
export interface RoutingTable {
  receiver: Uint8Array;
  /** Code indices of the DCC Alerts raised from a Device Alert aimed at the DSP. */
  dccFollowUps: number[][];
}

/** What the journey needs to know of the estate, per hub. */
export interface HubDirectory {
  hubRegion: Uint8Array;
  hubArea: Uint8Array;
  /** Index of the premises' supplier among the scenario's suppliers. */
  hubSupplier: Uint8Array;
  hubS1sp: Uint8Array;
  /** REP ID of each CSP North hub (else 0). */
  hubRepId: Uint32Array;
  /** HUB_* bits: a hub without HUB_COMMISSIONED was installed and left without SMWAN. */
  hubFlags: Uint8Array;
}

/** Turns completed hops into feed records. */
export interface AlertRecorder {
  /** CSP North passes the alert to the DSP (RNI sendMessage). */
  cspNorth(row: number): void;
  /** CSP Central / South pass the alert to the DSP. */
  cspForward(row: number): void;
  /** An S1SP delivered (T5) or lost (no T4/T5) the alert. */
  s1spAudit(row: number): void;
  /** One delivery attempt resolved. received / handshake are NaN when absent. */
  delivery(row: number, sent: number, received: number, handshake: number): void;
  /** The User's gateway received the alert for the first time (T.tUserReceived): its DUIS body. */
  duis(row: number): void;
  /** The row's Device Alert went on as DCC Alerts raised from it (new rows): it ends without a record of its own. */
  handedOver(row: number): void;
  /** The journey ended (delivered, failed, rejected, lost: then T.lostAt and T.lostReason say where and why). */
  finish(row: number, outcome: number, at: number): void;
}

export class AlertJourney {
  readonly table: AlertRows;
  private sourceSerial = 0;
  private alertSerial = 0;
  private readonly kCspArrive: number;
  private readonly kCspDepart: number;
  private readonly kS1Arrive: number;
  private readonly kDspArrive: number;
  private readonly kDeliver: number;
  private readonly kHandshake: number;
  private readonly kFail: number;
  private readonly failedQueue: FifoChain;
  private readonly failedQueueRetention: number;
  private readonly throttleQueues: FifoChain[];
  private readonly handshakeTimeout: number;
  private readonly retryDelays: number[];
  /** Counters for the run summary. */
  readonly counts = {
    raised: 0, dspReceived: 0, delivered: 0, failed: 0, rejected: 0, throttled: 0, attempts: 0,
    /** Lost before the DSP, all causes; of those, lost at a hub without WAN. */
    lost: 0, lostNoWan: 0,
    /** Discarded by the failed queue after its retention, within the run. */
    expired: 0,
  };

  constructor(
    private readonly sim: Simulator,
    private readonly net: Network,
    private readonly hubs: HubDirectory,
    private readonly routing: RoutingTable,
    private readonly recorder: AlertRecorder,
    tableCapacity = 4096,
  ) {
    this.table = new AlertRows(tableCapacity);
    this.kCspArrive = sim.on('alert.cspArrive', (row) => this.cspArrive(row));
    this.kCspDepart = sim.on('alert.cspDepart', (row) => this.cspDepart(row));
    this.kS1Arrive = sim.on('alert.s1spArrive', (row) => this.s1spArrive(row));
    this.kDspArrive = sim.on('alert.dspArrive', (row) => this.dspArrive(row));
    this.kDeliver = sim.on('alert.deliver', (row) => this.deliver(row));
    this.kHandshake = sim.on('alert.handshake', (row) => this.handshake(row));
    this.kFail = sim.on('alert.failedQueue', (row) => this.finish(row, OUTCOME_FAILED));
    // Each User's throttle releases alerts in time order: one chain per User
    // keeps a storm's queued deliveries out of the kernel's heap.
    this.throttleQueues = net.serviceUsers.map((u) => new FifoChain(sim, `alert.deliver/${u.id}`, (row) => this.deliver(row)));
    this.handshakeTimeout = net.dsp.config.handshakeTimeout;
    this.retryDelays = net.dsp.config.retryDelays;
    // The retention is one constant, so expiries come in the order alerts entered the queue.
    this.failedQueueRetention = net.dsp.config.failedQueueRetention;
    this.failedQueue = new FifoChain(sim, 'alert.failedQueueExpiry', () => this.counts.expired++);
  }

  /**
   * A device raises alert `code` at time `t` (>= now) from `device` behind
   * `hub`. Returns the row (the caller may set outage times on it).
   */
  raiseDeviceAlert(code: number, hub: number, device: number, t: number, cause: number, outageStart = NaN, outageEnd = NaN): void {
    const T = this.table;
    const row = this.allocAlert(code, hub, device);
    const region = this.hubs.hubRegion[hub];
    T.set(row, C.cause, cause);
    T.set(row, C.tCondition, t);
    // The HAN hop from device to CHF is within the same millisecond at this resolution.
    T.set(row, C.tChf, t);
    T.set(row, C.outageStart, outageStart);
    T.set(row, C.outageEnd, outageEnd);
    this.counts.raised++;
    if ((this.hubs.hubFlags[hub] & HUB_COMMISSIONED) === 0) {
      // Installed and left (SRV 8.14.2): no SMWAN, so the alert never leaves the hub.
      this.counts.lostNoWan++;
      this.lose(row, LOST_AT_HUB, LOST_NO_WAN);
      return;
    }
    const hubNet = this.net.commsHub;
    if (region === SMETS1) {
      // SMETS1: T1 is the condition; T2 the SMSO's receipt after the WAN.
      T.set(row, C.tWanSent, t);
      this.sim.at(t + hubNet.wanTransit(region), this.kS1Arrive, row);
    } else {
      const sent = t + hubNet.processing();
      T.set(row, C.tWanSent, sent);
      T.set(row, C.tHubStamp, hubNet.hubTimestamp(hub, sent));
      this.sim.at(sent + hubNet.wanTransit(region), this.kCspArrive, row);
    }
  }

  /**
   * A CSP raises a DCC Alert (AD1) at `passed` about `hub`: the last gasp left
   * the hub at `powerFail` and reached the CSP at `cspArrival`.
   */
  raiseCspAlert(code: number, hub: number, device: number, powerFail: number, cspArrival: number, passed: number, cause: number): number {
    const T = this.table;
    const row = this.allocDccAlert(code, hub, device);
    const region = T.get(row, C.region);
    T.set(row, C.cause, cause);
    T.set(row, C.tCondition, powerFail);
    T.set(row, C.tChf, powerFail);
    T.set(row, C.tWanSent, powerFail);
    // The last gasp carries the power failure as the hub's SDK clock stamped it.
    T.set(row, C.tHubStamp, this.net.commsHub.sdkTime(hub, powerFail));
    T.set(row, C.tCspArrival, cspArrival);
    T.set(row, C.tCspDeparture, passed);
    T.set(row, C.outageStart, powerFail);
    this.counts.raised++;
    this.sim.at(passed + this.net.csps[region].toDsp(), this.kDspArrive, row);
    return row;
  }

  /**
   * The DSP raises failure alert `code` (N12, N13) now to `user`, the User
   * whose request `request` (its serial) about `device` behind `hub` failed
   * (-1: the hub itself). It is the DSP's own: no CSP record, the DSP's
   * receipt is its raising. Returns the alert's serial (its alertId).
   */
  raiseRequestFailure(code: number, hub: number, device: number, user: number, request: number): number {
    return this.raiseDspAlert(code, hub, device, user, request);
  }

  /**
   * The DSP raises DCC Alert `code` now to `user` about `device` behind `hub`
   * (-1: the hub itself), from what it knows itself or was told by a CSP or
   * S1SP: no CSP record, the DSP's receipt is its raising. `ref` is what the
   * alert refers to (N12, N13: the failed request's serial; the firmware
   * path's alerts: the firmware target). Returns the alert's serial.
   */
  raiseDspAlert(code: number, hub: number, device: number, user: number, ref: number): number {
    const T = this.table;
    const row = this.allocDccAlert(code, hub, device);
    const now = this.sim.now;
    T.set(row, C.request, ref);
    T.set(row, C.tCondition, now);
    T.set(row, C.tDspReceived, now);
    this.counts.raised++;
    this.counts.dspReceived++;
    this.routeTo(row, user, now);
    return T.get(row, C.serial);
  }

  /**
   * The AD1 a CSP would have raised about `hub`, had the last gasp reached it:
   * lost at `lostAt` for `reason`. Only the ground truth sees it.
   */
  loseCspAlert(code: number, hub: number, device: number, powerFail: number, lostAt: number, reason: number, cause: number): void {
    const T = this.table;
    const row = this.allocDccAlert(code, hub, device);
    T.set(row, C.cause, cause);
    T.set(row, C.tCondition, powerFail);
    T.set(row, C.tChf, powerFail);
    T.set(row, C.outageStart, powerFail);
    // Never raised, so not counted among the alerts: the power outages count it.
    T.set(row, C.lostAt, lostAt);
    T.set(row, C.lostReason, reason);
    this.finish(row, OUTCOME_LOST);
  }

  /** A fresh row for alert `code` about `device` behind `hub`, in the hub's region. */
  private allocAlert(code: number, hub: number, device: number): number {
    const T = this.table;
    const row = T.alloc();
    T.set(row, C.code, code);
    T.set(row, C.origin, code);
    T.set(row, C.hub, hub);
    T.set(row, C.device, device);
    const region = this.hubs.hubRegion[hub];
    T.set(row, C.region, region);
    // What the recorder writes of the hub (table.ts says why).
    T.set(row, C.hubClockOffset, this.net.commsHub.sdkOffset(hub));
    if (region === NORTH) T.set(row, C.repId, this.hubs.hubRepId[hub]);
    return row;
  }

  /** A fresh row for DCC Alert `code` about `device` behind `hub`. */
  private allocDccAlert(code: number, hub: number, device: number): number {
    const row = this.allocAlert(code, hub, device);
    this.table.set(row, C.dcc, 1);
    return row;
  }

  /** A raised alert is lost before the DSP, at `at` for `reason`. */
  private lose(row: number, at: number, reason: number): void {
    this.counts.lost++;
    this.table.set(row, C.lostAt, at);
    this.table.set(row, C.lostReason, reason);
    this.finish(row, OUTCOME_LOST);
  }

  private cspArrive(row: number): void {
    const T = this.table;
    const csp = this.net.csps[T.get(row, C.region)];
    const now = this.sim.now;
    const received = csp.gate.receive(now);
    if (received === DROPPED) {
      this.lose(row, LOST_AT_CSP + T.get(row, C.region), LOST_COMPONENT_OUTAGE);
      return;
    }
    if (received > now) {
      // Held: the CSP is down; the hub's message gets through when it is back.
      this.sim.at(received, this.kCspArrive, row);
      return;
    }
    T.set(row, C.tCspArrival, now);
    // A message still in the CSP when it goes down leaves when it is back (or is lost).
    const departure = csp.gate.receive(csp.depart(now));
    if (departure === DROPPED) {
      this.lose(row, LOST_AT_CSP + T.get(row, C.region), LOST_COMPONENT_OUTAGE);
      return;
    }
    T.set(row, C.tCspDeparture, departure);
    this.sim.at(departure, this.kCspDepart, row);
  }

  private cspDepart(row: number): void {
    const T = this.table;
    const region = T.get(row, C.region);
    T.set(row, C.source, ++this.sourceSerial);
    if (region === NORTH) this.recorder.cspNorth(row);
    else this.recorder.cspForward(row);
    this.sim.at(this.sim.now + this.net.csps[region].toDsp(), this.kDspArrive, row);
  }

  private s1spArrive(row: number): void {
    const T = this.table;
    const s1sp = this.net.s1sps[this.hubs.hubS1sp[T.get(row, C.hub)]];
    const now = this.sim.now;
    const received = s1sp.gate.receive(now);
    if (received === DROPPED) {
      T.set(row, C.tCspArrival, now);
      T.set(row, C.source, ++this.sourceSerial);
      this.recorder.s1spAudit(row);
      this.lose(row, LOST_AT_S1SP, LOST_COMPONENT_OUTAGE);
      return;
    }
    if (received > now) {
      this.sim.at(received, this.kS1Arrive, row);
      return;
    }
    T.set(row, C.tCspArrival, now); // T2
    const t4 = s1sp.notify(now);
    T.set(row, C.tCspDeparture, t4); // T4
    T.set(row, C.source, ++this.sourceSerial);
    // The audit record is complete at T5, the DSP's receipt.
    this.sim.at(t4 + s1sp.toDsp(), this.kDspArrive, row);
  }

  private dspArrive(row: number): void {
    const T = this.table;
    const dsp = this.net.dsp;
    const now = this.sim.now;
    const received = dsp.gate.receive(now);
    if (received === DROPPED) {
      if (T.get(row, C.region) === SMETS1) this.recorder.s1spAudit(row);
      this.lose(row, LOST_AT_DSP, LOST_COMPONENT_OUTAGE);
      return;
    }
    if (received > now) {
      this.sim.at(received, this.kDspArrive, row);
      return;
    }
    T.set(row, C.tDspReceived, now);
    if (T.get(row, C.region) === SMETS1) this.recorder.s1spAudit(row);
    this.counts.dspReceived++;
    const validated = now + dsp.validation();
    if (dsp.rejects()) {
      T.set(row, C.serial, ++this.alertSerial);
      this.finish(row, OUTCOME_REJECTED);
      return;
    }
    const code = T.get(row, C.code);
    const receiver = this.routing.receiver[code];
    if (receiver === TO_DSP) {
      // Aimed at the ACB: the DSP raises DCC Alerts carrying it (seed 001,
      // section 3.2: "more than one DCC Alert triggered by the same Device Alert").
      for (const follow of this.routing.dccFollowUps[code]) {
        const dcc = T.clone(row);
        T.set(dcc, C.code, follow);
        T.set(dcc, C.dcc, 1);
        this.route(dcc, TO_SUPPLIER, validated);
      }
      this.recorder.handedOver(row);
      T.release(row);
      return;
    }
    this.route(row, receiver, validated);
  }

  private route(row: number, receiver: number, validated: number): void {
    const hub = this.table.get(row, C.hub);
    const user = receiver === TO_NETWORK_OPERATOR
      ? this.net.operatorOfArea[this.hubs.hubArea[hub]]
      : this.net.supplierUsers[this.hubs.hubSupplier[hub]];
    this.routeTo(row, user, validated);
  }

  private routeTo(row: number, user: number, validated: number): void {
    const T = this.table;
    const dsp = this.net.dsp;
    T.set(row, C.user, user);
    T.set(row, C.serial, ++this.alertSerial);
    const ready = validated + dsp.routing();
    const throttle = dsp.throttle;
    const pass = throttle.pass(user, ready);
    if (throttle.lastHeld) {
      T.set(row, C.throttled, 1);
      T.set(row, C.throttledSeq, throttle.lastSequence);
      T.set(row, C.throttledCount, throttle.lastAhead);
      this.counts.throttled++;
    }
    const queue = this.throttleQueues[user];
    if (pass >= queue.lastTime) queue.push(pass, row, 0);
    else this.sim.at(pass, this.kDeliver, row);
  }

  private deliver(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    const attempt = T.get(row, C.attempts) + 1;
    T.set(row, C.attempts, attempt);
    this.counts.attempts++;
    if (attempt === 1) T.set(row, C.tPassed, now);
    const gw = this.net.serviceUsers[T.get(row, C.user)];
    gw.deliver(now);
    const received = gw.lastReceived;
    const handshake = gw.lastHandshake;
    if (received >= 0 && T.get(row, C.duisWritten) === 0) {
      T.set(row, C.duisWritten, 1);
      T.set(row, C.tUserReceived, received);
      this.recorder.duis(row);
    }
    if (handshake >= 0 && handshake - now <= this.handshakeTimeout) {
      T.set(row, C.tHandshake, handshake);
      this.recorder.delivery(row, now, received, handshake);
      this.sim.at(handshake, this.kHandshake, row);
      return;
    }
    this.recorder.delivery(row, now, received >= 0 ? received : NaN, NaN);
    if (attempt <= this.retryDelays.length) {
      const wait = Math.max(this.retryDelays[attempt - 1], this.handshakeTimeout);
      this.sim.at(now + wait, this.kDeliver, row);
    } else {
      // No handshake after the last attempt: to the failed queue once it times out.
      this.sim.at(now + this.handshakeTimeout, this.kFail, row);
    }
  }

  private handshake(row: number): void {
    this.finish(row, OUTCOME_DELIVERED);
  }

  private finish(row: number, outcome: number): void {
    switch (outcome) {
      case OUTCOME_DELIVERED:
        this.counts.delivered++;
        break;
      case OUTCOME_FAILED:
        this.counts.failed++;
        this.failedQueue.push(this.sim.now + this.failedQueueRetention, 0, 0);
        break;
      case OUTCOME_REJECTED:
        this.counts.rejected++;
        break;
    }
    this.recorder.finish(row, outcome, this.sim.now);
    this.table.release(row);
  }
}
