/**
 * The service request journey: a Service User's SRV crosses the DCC User
 * Interface to the DSP, goes on to the CSP (SMETS1: the S1SP), over the SMWAN
 * to the Comms Hub and over the HAN to the device, and the response comes
 * back the same way. Every hop is a kernel event (but a scheduled step's
 * execute when it would run next anyway: runScheduled), and uses the SAME component
 * instances as alerts (capacity, outage gates), so an alert storm slows
 * requests and requests load the path alerts take. The DSP retries and times
 * out as seed 002 section 3.5.1 describes; long reads come back as GBT blocks,
 * one kernel event per SMWAN packet (src/network/comms-hub.ts).
 *
 * The hops, in order, and the timing point each stamps (DOMAIN.md "Service
 * requests"; RTT from seed 004 2.3.1 "Speed"):
 *
 *   send            the User sends the request (tSent)
 *   dspArrive       received by the DSP from the User (tDspReceived; RTT clock
 *                   starts here for on-demand requests); validation,
 *                   authentication; DSP-only SRVs are answered here
 *   execute         processing starts (future-dated and scheduled requests:
 *                   the RTT clock starts at this execution time); the DSP's
 *                   timeout is set
 *   dspSend         sent to the CSP / S1SP (each attempt)
 *   providerArrive  received by the CSP / S1SP; passed to the SMWAN
 *   hubArrive       received by the hub; over the HAN to the device and back
 *                   (no answer: the provider reports a failure at its timeout)
 *   gbtPacket       one SMWAN packet of a long read's response
 *   providerAnswer  the response received by the CSP / S1SP
 *   providerDepart  the CSP / S1SP passes it to the DSP: its record of the
 *                   response (CSP North sendMessage, S1SP audit trail)
 *   attemptFailed   the provider's no-answer timeout: retry or E201
 *   dspAnswer       the response received by the DSP (a SMETS1 response:
 *                   the S1SP's audit record, T5 its delivery)
 *   timeout         the DSP's maximum completion time: E212
 *   respond         the response sent to the User, once the User's throttle
 *                   lets it pass (the RTT clock stops);
 *                   a future-dated or scheduled request that failed E201 or
 *                   E212 is followed by the DSP's N12 or N13 (FailureAlerts)
 *   userArrive      received by the User's gateway (through its capacity, as
 *                   alerts; not while it is down)
 *
 * Longer than 350 lines on purpose: the handlers are one state machine, read
 * in the order above; split, each file would need the others' table state.
 */
import type { Simulator } from '../../engine/simulator.js';
import { TimeoutChain } from '../../engine/chains.js';
import { DROPPED } from '../../engine/resources/index.js';
import type { Network } from '../../network/index.js';
import type { Csp } from '../../network/csp.js';
import type { S1sp } from '../../network/s1sp.js';
import { NORTH, SMETS1 } from '../../dcc/regions.js';
import {
  RC_AUTHENTICATION,
  RC_COMMS_FAILURE,
  RC_SUCCESS,
  RC_TIMEOUT,
  RC_USER_ERROR,
  SRV_CATALOGUE,
  isDeferred,
  loneProcess,
  processIndex,
  TargetResponseTimes,
} from '../../dcc/srvs.js';
import { InFlightRequests, Q, TIMING_ON_DEMAND, TIMING_SCHEDULED, providerIndex } from './table.js';

/** What the journey needs of the estate. */
export interface RequestEstate {
  hubS1sp: Uint8Array;
  /** Per hub: its REP ID (CSP North hubs), for a lone request's row (send). */
  hubRepId: Uint32Array;
  isPowered(hub: number): boolean;
  isCommissioned(hub: number): boolean;
}

export interface RequestRecorder {
  /** The CSP / S1SP passed a device's (or the hub's) response to the DSP. */
  providerResponse(row: number): void;
  /** The DSP received it (T.tDspResponse), or dropped it (NaN: out of service). */
  dspResponse(row: number): void;
  /** The DSP sent the response (success or failure) to the User. */
  answered(row: number): void;
  /** Lost before the DSP saw it. */
  lost(row: number): void;
}

/**
 * A business process's view of its requests (src/flows/requests/processes.ts),
 * called only for requests it sent (T.owner >= 0).
 */
export interface ProcessHooks {
  /** Can the device carry the request out now? No when the User did not wait and an earlier step was not carried out: it does not answer. */
  ready(row: number): boolean;
  /** The device, the hub or the DSP carried the request out. */
  carriedOut(row: number): void;
  /** The journey ended: the response went to the User (`answered`; T.code, T.tUserReceived) or the request was lost. */
  completed(row: number, answered: boolean): void;
}

/**
 * The DSP's failure alerts after a request (seed 004 2.3.1: "a subsequent
 * failure alert code (N12 or N13)"), raised through the alert journey.
 */
export interface FailureAlerts {
  /** Raise N13 (`timeout`) or N12 now to `user` about request `request`; returns the alert's serial. */
  raise(timeout: boolean, hub: number, device: number, user: number, request: number): number;
}

/** T.failureAlert: none, N12, N13. */
export const FAILURE_ALERT_NONE = 0;
export const FAILURE_ALERT_N12 = 1;
export const FAILURE_ALERT_N13 = 2;

const TARGET_DSP = 'DSP';
const TARGET_CHF = 'CHF';

export class RequestJourney {
  readonly table: InFlightRequests;
  private serialNo = 0;
  private processNo = 0;
  private responseSerial = 0;
  /** Kernel event kinds, one per hop (the file's header lists them). */
  private readonly kDspArrive: number;
  private readonly kExecute: number;
  private readonly kDspSend: number;
  private readonly kProviderArrive: number;
  private readonly kHubArrive: number;
  private readonly kGbtPacket: number;
  private readonly kProviderAnswer: number;
  private readonly kProviderDepart: number;
  private readonly kAttemptFailed: number;
  private readonly kDspAnswer: number;
  private readonly kRespond: number;
  private readonly kUserArrive: number;
  /** Per SRV index: answered at the DSP, the hub itself, carried as GBT, deferred, TRT by region kind, deadline. */
  private readonly dspOnly: Uint8Array;
  private readonly hubOnly: Uint8Array;
  private readonly gbt: Uint8Array;
  private readonly deferred: Uint8Array;
  /** Per SRV index: the business process of a request sent on its own (src/dcc/srvs.ts loneProcess). */
  private readonly loneProcess: Uint8Array;
  private readonly trt: TargetResponseTimes;
  private readonly maxCompletion: Float64Array;
  /**
   * The DSP's timeouts, one chain per maximum completion time (each chain's
   * deadlines then come in time order), and per SRV index its chain: nearly
   * every timeout is cancelled by the response, and outside the kernel's
   * queue they no longer make it deep.
   */
  private readonly timeouts: TimeoutChain[] = [];
  private readonly timeoutChain: Uint8Array;
  private readonly retryIntervals: number[][];
  private hooks: ProcessHooks | null = null;
  /** The CSPs (by region) then the S1SPs: T.provider indexes it. */
  private readonly providers: Array<Csp | S1sp>;
  readonly counts = { sent: 0, lost: 0, answered: 0, success: 0, commsFailure: 0, timeout: 0, excludable: 0, attempts: 0, gbtPackets: 0, throttled: 0 };
  /** Told of every response the DSP sends (SRV index, hub, response code index, time): other flows listen here (Install and Leave learns of 8.14.2). */
  onResponse: ((srv: number, hub: number, code: number, t: number) => void) | null = null;
  /** Told as a request's journey ends, before its row is released (answered: false when lost): a flow that acts on a response, as firmware activation does. */
  onEnd: ((row: number, answered: boolean) => void) | null = null;

  constructor(
    private readonly sim: Simulator,
    private readonly net: Network,
    private readonly estate: RequestEstate,
    private readonly recorder: RequestRecorder,
    secmp0053: boolean,
    private readonly failures: FailureAlerts | null = null,
    tableCapacity = 1024,
  ) {
    this.table = new InFlightRequests(tableCapacity);
    this.providers = [...net.csps, ...net.s1sps];
    // One closure per kind (not one wrapper around a handler argument): each calls its own method, which the compiler can inline.
    const T = this.table;
    this.kDspArrive = sim.on('request.dspArrive', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.dspArrive(row);
    });
    this.kExecute = sim.on('request.execute', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.execute(row);
    });
    this.kDspSend = sim.on('request.dspSend', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.dspSend(row);
    });
    this.kProviderArrive = sim.on('request.providerArrive', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.providerArrive(row);
    });
    this.kHubArrive = sim.on('request.hubArrive', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.hubArrive(row);
    });
    this.kGbtPacket = sim.on('request.gbtPacket', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.gbtPacket(row);
    });
    this.kProviderAnswer = sim.on('request.providerAnswer', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.providerAnswer(row);
    });
    this.kProviderDepart = sim.on('request.providerDepart', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.providerDepart(row);
    });
    this.kAttemptFailed = sim.on('request.attemptFailed', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.attemptFailed(row);
    });
    this.kDspAnswer = sim.on('request.dspAnswer', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.dspAnswer(row);
    });
    this.kRespond = sim.on('request.respond', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.respond(row);
    });
    this.kUserArrive = sim.on('request.userArrive', (row, gen) => {
      if (T.get(row, Q.gen) === gen) this.userArrive(row);
    });
    const n = SRV_CATALOGUE.length;
    const q = net.dsp.config.requests;
    this.dspOnly = new Uint8Array(n);
    this.hubOnly = new Uint8Array(n);
    this.gbt = new Uint8Array(n);
    this.deferred = new Uint8Array(n);
    this.loneProcess = new Uint8Array(n);
    this.trt = new TargetResponseTimes(secmp0053);
    this.maxCompletion = new Float64Array(n);
    this.timeoutChain = new Uint8Array(n);
    this.retryIntervals = [];
    SRV_CATALOGUE.forEach((d, i) => {
      this.dspOnly[i] = d.target === TARGET_DSP ? 1 : 0;
      this.hubOnly[i] = d.target === TARGET_CHF ? 1 : 0;
      this.gbt[i] = d.gbt ? 1 : 0;
      this.deferred[i] = isDeferred(d, secmp0053) ? 1 : 0;
      this.loneProcess[i] = processIndex(loneProcess(d));
      this.maxCompletion[i] = d.retry ? d.retry.maxCompletion : d.gbt ? q.longReadTimeout : q.responseTimeout;
      this.timeoutChain[i] = this.timeoutChainFor(this.maxCompletion[i]);
      this.retryIntervals.push(d.retry ? d.retry.intervals : []);
    });
  }

  /** The chain of timeouts `maxCompletion` ms after execution (index into this.timeouts). */
  private timeoutChainFor(maxCompletion: number): number {
    const name = `request.timeout/${maxCompletion}`;
    const i = this.timeouts.findIndex((c) => c.name === name);
    if (i >= 0) return i;
    this.timeouts.push(
      new TimeoutChain(this.sim, name, (row, gen) => {
        if (this.table.get(row, Q.gen) === gen) this.timedOut(row);
      }),
    );
    return this.timeouts.length - 1;
  }

  private cancelTimeout(row: number): void {
    const T = this.table;
    if (T.get(row, Q.timeout) < 0) return;
    this.timeouts[this.timeoutChain[T.get(row, Q.srv)]].cancel(T.get(row, Q.timeout));
    T.set(row, Q.timeout, -1);
  }

  private at(t: number, kind: number, row: number): void {
    this.sim.at(t, kind, row, this.table.get(row, Q.gen));
  }

  /** Target Response Time of the request in `row`, ms. */
  trtOf(row: number): number {
    const T = this.table;
    return this.trt.of(T.get(row, Q.srv), T.get(row, Q.region) === SMETS1);
  }

  /** The serial of a new business-process instance (processId). */
  newProcess(): number {
    return ++this.processNo;
  }

  /** The business processes that send steps through this journey. */
  orchestrate(hooks: ProcessHooks): void {
    this.hooks = hooks;
  }

  /**
   * A process instance's step: as send, with the instance (`owner`, told of
   * the outcome through the hooks), its process and serial, the step's
   * number and the User's attempt at it, and the hub's SDK clock offset and
   * REP ID as the process read them with its premises. `last`: the caller's
   * event handler does nothing after this call, so a scheduled step may run
   * at once.
   */
  sendStep(
    srv: number, timing: number, hub: number, device: number, deviceType: number, region: number, user: number, execution: number,
    owner: number, process: number, processSerial: number, step: number, userAttempt: number, hubClockOffset: number, repId: number, last = false,
  ): number {
    const row = this.start(srv, timing, hub, device, deviceType, region, user, 1, execution, hubClockOffset, repId);
    const T = this.table;
    T.set(row, Q.owner, owner);
    T.set(row, Q.process, process);
    T.set(row, Q.processSerial, processSerial);
    T.set(row, Q.step, step);
    T.set(row, Q.userAttempt, userAttempt);
    if (timing === TIMING_SCHEDULED) this.runScheduled(row, last);
    return row;
  }

  /**
   * A User sends a request now (on demand or future-dated: `execution` is then
   * its execution time), or the DSP runs a scheduled one now. `device` is the
   * target in the estate (-1: the hub or the DSP), of type `deviceType`
   * (DEVICE_TYPES: the sender chose it by type). The request is a one-step
   * process instance of its own. Returns the row.
   */
  send(srv: number, timing: number, hub: number, device: number, deviceType: number, region: number, user: number, days: number, execution: number): number {
    const repId = region === NORTH ? this.estate.hubRepId[hub] : 0;
    const row = this.start(srv, timing, hub, device, deviceType, region, user, days, execution, this.net.commsHub.sdkOffset(hub), repId);
    this.table.set(row, Q.process, this.loneProcess[srv]);
    this.table.set(row, Q.processSerial, this.newProcess());
    if (timing === TIMING_SCHEDULED) this.runScheduled(row, false);
    return row;
  }

  private start(
    srv: number, timing: number, hub: number, device: number, deviceType: number, region: number, user: number, days: number, execution: number,
    hubClockOffset: number, repId: number,
  ): number {
    const T = this.table;
    const row = T.alloc();
    T.set(row, Q.srv, srv);
    T.set(row, Q.timing, timing);
    T.set(row, Q.hub, hub);
    T.set(row, Q.device, device);
    T.set(row, Q.region, region);
    T.set(row, Q.user, user);
    T.set(row, Q.days, days);
    // Looked up once: every hop after the DSP asks for it.
    T.set(row, Q.provider, providerIndex(region, region === SMETS1 ? this.estate.hubS1sp[hub] : -1, this.net.csps.length));
    // What the recorder writes of the target, as the sender knew it (table.ts says why).
    if (device >= 0) T.set(row, Q.deviceType, deviceType);
    T.set(row, Q.hubClockOffset, hubClockOffset);
    if (region === NORTH) T.set(row, Q.repId, repId);
    T.set(row, Q.serial, ++this.serialNo);
    this.counts.sent++;
    const now = this.sim.now;
    if (timing === TIMING_SCHEDULED) {
      // The DSP runs the schedule (runScheduled, once the row is complete): no request from the User, the clock starts at execution.
      T.set(row, Q.tClock, now);
      return row;
    }
    T.set(row, Q.tSent, now);
    if (timing !== TIMING_ON_DEMAND) T.set(row, Q.tClock, execution);
    this.at(now + Math.round(this.net.dsp.request.userLink()), this.kDspArrive, row);
    return row;
  }

  /**
   * A scheduled request starts in the DSP now. Its execute event would run
   * next, right after the caller's handler, when nothing else is due this
   * instant and the handler ends with this call (`last`): it then runs here,
   * in the same order, without an event of its own.
   */
  private runScheduled(row: number, last: boolean): void {
    if (last && this.sim.nothingDueNow()) this.execute(row);
    else this.at(this.sim.now, this.kExecute, row);
  }

  private dspArrive(row: number): void {
    const T = this.table;
    const dsp = this.net.dsp;
    const now = this.sim.now;
    const received = dsp.gate.receive(now);
    if (received === DROPPED) return this.lose(row);
    if (received > now) return this.at(received, this.kDspArrive, row);
    T.set(row, Q.tDspReceived, now);
    if (T.get(row, Q.timing) === TIMING_ON_DEMAND) T.set(row, Q.tClock, now);
    const q = dsp.config.requests;
    const validated = now + Math.round(dsp.request.validation());
    const chance = dsp.request.chance();
    if (chance < q.rejectionShare + q.authenticationFailureShare) {
      // Refused on receipt, a future-dated request is never executed: its clock starts at receipt.
      T.set(row, Q.tClock, now);
      return this.answer(row, chance < q.rejectionShare ? RC_USER_ERROR : RC_AUTHENTICATION, validated);
    }
    const srv = T.get(row, Q.srv);
    if (this.dspOnly[srv] === 1) {
      if (T.get(row, Q.owner) >= 0) this.hooks!.carriedOut(row);
      return this.answer(row, RC_SUCCESS, validated + Math.round(dsp.request.dspOnly()));
    }
    let start = validated;
    if (T.get(row, Q.timing) !== TIMING_ON_DEMAND && T.get(row, Q.tClock) > start) start = T.get(row, Q.tClock);
    else if (this.deferred[srv] === 1) start += Math.round(dsp.request.deferral());
    this.at(start, this.kExecute, row);
  }

  private execute(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    if (T.get(row, Q.timing) === TIMING_SCHEDULED) {
      // A schedule runs in the DSP: not while it is out of service.
      const up = this.net.dsp.gate.receive(now);
      if (up === DROPPED) return this.lose(row);
      if (up > now) return this.at(up, this.kExecute, row);
    }
    T.set(row, Q.tExecute, now);
    T.set(row, Q.deadline, now + this.maxCompletion[T.get(row, Q.srv)]);
    T.set(row, Q.timeout, this.timeouts[this.timeoutChain[T.get(row, Q.srv)]].set(T.get(row, Q.deadline), row, T.get(row, Q.gen)));
    this.dspSend(row);
  }

  private provider(row: number): Csp | S1sp {
    return this.providers[this.table.get(row, Q.provider)];
  }

  private dspSend(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    T.set(row, Q.attempts, T.get(row, Q.attempts) + 1);
    this.counts.attempts++;
    if (T.get(row, Q.attempts) === 1) T.set(row, Q.tSentToProvider, now);
    T.set(row, Q.tLastSentToProvider, now);
    this.at(now + this.provider(row).requestLink(), this.kProviderArrive, row);
  }

  private providerArrive(row: number): void {
    const T = this.table;
    const p = this.provider(row);
    const now = this.sim.now;
    const received = p.gate.receive(now);
    // Dropped by the provider: the DSP hears nothing and times out.
    if (received === DROPPED) return;
    if (received > now) return this.at(received, this.kProviderArrive, row);
    if (T.get(row, Q.tProviderReceived) !== T.get(row, Q.tProviderReceived)) T.set(row, Q.tProviderReceived, now);
    const sent = p.requestDepart(now);
    T.set(row, Q.tProviderSent, sent);
    this.at(sent + this.net.commsHub.requestWanTransit(T.get(row, Q.region)), this.kHubArrive, row);
  }

  private hubArrive(row: number): void {
    const T = this.table;
    const hubNet = this.net.commsHub;
    const hub = T.get(row, Q.hub);
    const failAt = T.get(row, Q.tProviderSent) + this.provider(row).config.requestTimeout;
    // A hub without power or without SMWAN never answers: the provider times out.
    const now = this.sim.now;
    if (!this.estate.isPowered(hub) || !this.estate.isCommissioned(hub)) return this.at(Math.max(failAt, now), this.kAttemptFailed, row);
    T.set(row, Q.tHubReceived, now);
    // A step sent before the one it depends on was carried out (a User that did not wait): the device cannot act on it.
    if (T.get(row, Q.owner) >= 0 && !this.hooks!.ready(row)) {
      T.set(row, Q.notWaited, 1);
      return this.at(Math.max(failAt, now), this.kAttemptFailed, row);
    }
    let ready = now + hubNet.requestProcessing();
    if (this.hubOnly[T.get(row, Q.srv)] === 0) {
      if (hubNet.noResponse()) return this.at(Math.max(failAt, now), this.kAttemptFailed, row);
      const atDevice = ready + hubNet.han();
      T.set(row, Q.tDeviceReceived, atDevice);
      const responded = atDevice + hubNet.deviceProcessing();
      T.set(row, Q.tDeviceResponded, responded);
      if (hubNet.refusesAuthentication()) T.set(row, Q.code, RC_AUTHENTICATION);
      ready = responded + hubNet.han() + hubNet.requestProcessing();
    }
    T.set(row, Q.tHubResponseSent, ready);
    if (T.get(row, Q.owner) >= 0 && T.get(row, Q.code) === RC_SUCCESS) this.hooks!.carriedOut(row);
    if (this.gbt[T.get(row, Q.srv)] === 1 && T.get(row, Q.code) === RC_SUCCESS) {
      const blocks = hubNet.gbtBlocks(T.get(row, Q.days));
      T.set(row, Q.gbtBlocks, blocks);
      T.set(row, Q.blocksLeft, blocks);
      T.set(row, Q.packetsLeft, 0);
      this.at(ready, this.kGbtPacket, row);
      return;
    }
    this.at(ready + hubNet.requestWanTransit(T.get(row, Q.region)), this.kProviderAnswer, row);
  }

  /** One SMWAN packet of a GBT response: paced by the WAN, admitted through the provider's capacity. */
  private gbtPacket(row: number): void {
    const T = this.table;
    const p = this.provider(row);
    const now = this.sim.now;
    const received = p.gate.receive(now);
    if (received === DROPPED) return;
    if (received > now) return this.at(received, this.kGbtPacket, row);
    if (T.get(row, Q.packetsLeft) === 0) {
      T.set(row, Q.packetsLeft, this.net.commsHub.gbtPackets());
      T.set(row, Q.blocksLeft, T.get(row, Q.blocksLeft) - 1);
    }
    T.set(row, Q.packetsLeft, T.get(row, Q.packetsLeft) - 1);
    T.set(row, Q.gbtPackets, T.get(row, Q.gbtPackets) + 1);
    this.counts.gbtPackets++;
    const accepted = p.server.admit(now);
    if (T.get(row, Q.packetsLeft) === 0 && T.get(row, Q.blocksLeft) === 0) {
      this.at(accepted, this.kProviderAnswer, row);
      return;
    }
    // The next packet leaves one pacing interval after the provider took this one.
    this.at(accepted + this.net.commsHub.config.requests.gbtPacketInterval, this.kGbtPacket, row);
  }

  private providerAnswer(row: number): void {
    const T = this.table;
    const p = this.provider(row);
    const now = this.sim.now;
    const received = p.gate.receive(now);
    if (received === DROPPED) return;
    if (received > now) return this.at(received, this.kProviderAnswer, row);
    T.set(row, Q.tProviderResponse, now);
    const departure = p.requestDepart(now);
    T.set(row, Q.tProviderResponseSent, departure);
    this.at(departure, this.kProviderDepart, row);
  }

  private providerDepart(row: number): void {
    const T = this.table;
    T.set(row, Q.source, ++this.responseSerial);
    this.recorder.providerResponse(row);
    this.at(this.sim.now + this.provider(row).requestLink(), this.kDspAnswer, row);
  }

  private attemptFailed(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    const p = this.provider(row);
    const intervals = this.retryIntervals[T.get(row, Q.srv)];
    const attempt = T.get(row, Q.attempts);
    if (attempt <= intervals.length) {
      const slot = T.get(row, Q.tLastSentToProvider) + intervals[attempt - 1];
      const heard = now + p.requestLink();
      const next = slot > heard ? slot : heard;
      if (next < T.get(row, Q.deadline)) return this.at(next, this.kDspSend, row);
    }
    T.set(row, Q.code, RC_COMMS_FAILURE);
    this.at(now + p.requestLink(), this.kDspAnswer, row);
  }

  private dspAnswer(row: number): void {
    const T = this.table;
    const dsp = this.net.dsp;
    const now = this.sim.now;
    const received = dsp.gate.receive(now);
    if (received === DROPPED) return this.recorder.dspResponse(row);
    if (received > now) return this.at(received, this.kDspAnswer, row);
    T.set(row, Q.tDspResponse, now);
    this.recorder.dspResponse(row);
    this.answer(row, T.get(row, Q.code), now);
  }

  private timedOut(row: number): void {
    const T = this.table;
    T.set(row, Q.timeout, -1);
    this.counts.timeout++;
    // Events of the journey still under way now carry a stale generation.
    T.set(row, Q.gen, T.get(row, Q.gen) + 1);
    this.answer(row, RC_TIMEOUT, this.sim.now);
  }

  /**
   * The DSP has the response (or decided it) at `ready`: it leaves for the
   * User after response processing, through the User's throttle, which
   * paces every DUIS message the DSP sends that User, alerts and responses
   * alike (DOMAIN.md: the DSP throttles during storms); a storm of alerts to
   * a User holds its responses too.
   */
  private answer(row: number, code: number, ready: number): void {
    const T = this.table;
    T.set(row, Q.code, code);
    if (code !== RC_TIMEOUT) this.cancelTimeout(row);
    const dsp = this.net.dsp;
    const pass = dsp.throttle.pass(T.get(row, Q.user), ready + Math.round(dsp.request.response()));
    if (dsp.throttle.lastHeld) this.counts.throttled++;
    this.at(pass, this.kRespond, row);
  }

  private respond(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    this.cancelTimeout(row);
    T.set(row, Q.tResponseSent, now);
    this.onResponse?.(T.get(row, Q.srv), T.get(row, Q.hub), T.get(row, Q.code), now);
    this.at(now + Math.round(this.net.dsp.request.userLink()), this.kUserArrive, row);
    // Assumption (the seeds name N12, N13 as failures after a request but not when each is
    // raised): a request the DSP executed later than it was sent (future-dated, scheduled)
    // that failed is also told by a DCC Alert, N12 for a communications failure (E201),
    // N13 for a timeout (E212); an on-demand request's response alone tells its failure.
    const code = T.get(row, Q.code);
    if (this.failures === null || T.get(row, Q.timing) === TIMING_ON_DEMAND || (code !== RC_COMMS_FAILURE && code !== RC_TIMEOUT)) return;
    const timeout = code === RC_TIMEOUT;
    T.set(row, Q.failureAlert, timeout ? FAILURE_ALERT_N13 : FAILURE_ALERT_N12);
    T.set(row, Q.failureAlertSerial, this.failures.raise(timeout, T.get(row, Q.hub), T.get(row, Q.device), T.get(row, Q.user), T.get(row, Q.serial)));
  }

  private userArrive(row: number): void {
    const T = this.table;
    const now = this.sim.now;
    const gw = this.net.serviceUsers[T.get(row, Q.user)];
    if (gw.outages.downUntil(now) < 0) T.set(row, Q.tUserReceived, gw.server.admit(now));
    const code = T.get(row, Q.code);
    this.counts.answered++;
    if (code === RC_SUCCESS) this.counts.success++;
    else if (code === RC_COMMS_FAILURE) this.counts.commsFailure++;
    else if (code === RC_AUTHENTICATION || code === RC_USER_ERROR) this.counts.excludable++;
    this.recorder.answered(row);
    this.onEnd?.(row, true);
    if (T.get(row, Q.owner) >= 0) this.hooks!.completed(row, true);
    T.release(row);
  }

  private lose(row: number): void {
    this.counts.lost++;
    this.recorder.lost(row);
    this.onEnd?.(row, false);
    if (this.table.get(row, Q.owner) >= 0) this.hooks!.completed(row, false);
    this.table.release(row);
  }
}

