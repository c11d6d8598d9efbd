/**
 * SRV 11.1 firmware campaigns end to end (DOMAIN.md "Firmware"; seed 004
 * Figure 1 and 2.4.5-2.4.6; seed 000 CR1421, CR1423, CR1440):
 *
 *   request   the User sends SRV 11.1 for each target at the campaign's rate;
 *             the DSP validates it and passes it to the CSP (SMETS1: the S1SP)
 *   distribute the CSP sends the image to the CHF as GBT blocks paced over
 *             its SMWAN, beside alerts and requests (distribution.ts); a hub
 *             without SMWAN, or out of reach, never gets it
 *   han       the CHF passes the image to the device over the HAN; the device
 *             verifies it and raises 8F72 or 8F1C (through the alert journey,
 *             so the alert feeds carry them) or stays silent; IOC/MDS PPMIDs
 *             never acknowledge (seed 003)
 *   activate  the User sends SRV 11.3 (on demand once the device has the
 *             image, or future-dated) through the request journey; a success
 *             changes the device's version in the estate
 *   SMETS1    the S1SP uploads the image to the device and reports the upload's
 *             success and round trip (CR1440); 11.3 as for SMETS2
 *   hub       Comms Hub firmware goes over the CSP network directly, with no
 *             SRV (CR1423): distribution, then the CSP's activation
 *   DCC Alerts the DSP tells the supplier of each stage (N40-N44, src/dcc/alerts.ts):
 *             a device given up, the image at the CHF, the CHF's transfer to a
 *             device that never acknowledges, an 11.3 failure, a hub activated
 *
 * Every step's true time is kept in the Targets table; the feeds are written
 * from it when the run ends (recorder.ts).
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RandomStreams, Rng } from '../../engine/random.js';
import { FifoChain } from '../../engine/chains.js';
import { compile, type Sampler } from '../../engine/distributions.js';
import { SMETS1 } from '../../dcc/regions.js';
import { makeOf } from '../../dcc/makes.js';
import { RC_SUCCESS, srvIndex } from '../../dcc/srvs.js';
import { PPMID, type Estate } from '../../estate/estate.js';
import type { Network } from '../../network/index.js';
import type { Scenario } from '../../scenario/types.js';
import type { AlertJourney } from '../alerts/journey.js';
import type { FirmwareAlertDetail } from '../../dcc/duis.js';
import { deviceEuiHigh, deviceEuiLow, hubEuiHigh, hubEuiLow } from '../../estate/eui.js';
import { codeIndex } from '../alerts/routing.js';
import type { RequestJourney } from '../requests/journey.js';
import { Q, TIMING_FUTURE_DATED, TIMING_ON_DEMAND } from '../requests/table.js';
import { CspDistributor, type DistributionMode } from './distribution.js';
import { DEFAULT_FIRMWARE, blocksOf, type FirmwareParams } from './params.js';
import {
  ACT_FAILED, ACT_LOST, ACT_OK, DIST_FAILED, DIST_OK, KINDS, Targets, VERIFY_FAILED, VERIFY_NOT_EXPECTED, VERIFY_OK, VERIFY_S1SP,
  VERIFY_SILENT, acknowledges, selectTargets, type Campaign,
} from './targets.js';

/** DUIS DeviceType by KINDS index (hub, esme, gsme, ppmid). */
const DUIS_DEVICE_TYPES = ['CHF', 'ESME', 'GSME', 'PPMID'] as const;
/** The CHF's alert code in N42's CommsHubAlert: a stand-in (src/dcc/alerts.ts, N42). */
const CHF_TRANSFER_ALERT = 0x8f84;

export class FirmwareFlow {
  readonly targets: Targets;
  readonly campaigns: Campaign[] = [];
  private readonly distributors: CspDistributor[];
  private readonly kSend: number;
  private readonly kStart: number;
  private readonly seed: number;
  private readonly streams: RandomStreams;
  private readonly kHan: number;
  private readonly kActivate: number;
  private readonly kHubActivate: number;
  private readonly kUploaded: number;
  /** A hub the CSP cannot reach: the CSP reports the failure at the 5-day target. */
  private readonly unreachable: FifoChain;
  private readonly rng: Rng;
  private readonly dspDelay: Sampler;
  private readonly han: Sampler;
  private readonly verification: Sampler;
  private readonly activationDelay: Sampler;
  private readonly upload: Sampler;
  private readonly hubActivation: Sampler;
  private readonly srv113 = srvIndex('11.3');
  /** Request serial -> target row, for 11.3 requests in flight. */
  private readonly activations = new Map<number, number>();
  private readonly codes: Record<string, number>;
  readonly counts = {
    targeted: 0, requested: 0, distributed: 0, distributionFailed: 0, verified: 0, verificationFailed: 0, silent: 0, activated: 0, activationFailed: 0,
    /** The firmware path's DCC Alerts raised (N40-N44). */
    dccAlerts: 0,
  };

  constructor(
    private readonly sim: Simulator,
    private readonly net: Network,
    private readonly estate: Estate,
    scenario: Scenario,
    streams: RandomStreams,
    private readonly alerts: AlertJourney,
    private readonly requests: RequestJourney,
    readonly p: FirmwareParams = DEFAULT_FIRMWARE,
    mode: DistributionMode = 'batch',
  ) {
    scenario.events.forEach((e, index) => {
      if (e.type !== 'firmwareCampaign') return;
      const imageBytes = e.imageSize > 0 ? e.imageSize : p.imageBytes[e.deviceType];
      const toIndex = estate.firmwareIndex(e.deviceType, e.toVersion);
      this.campaigns.push({ event: e, index, kind: e.deviceType, toIndex, blocks: blocksOf(imageBytes, p), imageBytes, first: 0, count: 0 });
    });
    this.targets = new Targets(1024);
    this.seed = scenario.seed;
    this.streams = streams;
    this.rng = streams.stream('firmware/outcomes');
    const s = (name: string) => streams.stream(`firmware/${name}`);
    this.dspDelay = compile({ dist: 'lognormal', median: 200, sigma: 0.3 }, s('dsp'));
    this.han = compile(p.hanTransfer, s('han'));
    this.verification = compile(p.verification, s('verification'));
    this.activationDelay = compile(p.activationDelay, s('activation'));
    this.upload = compile(p.s1spUpload, s('s1spUpload'));
    this.hubActivation = compile(p.hubActivation, s('hubActivation'));
    this.codes = {
      '8F72': codeIndex('8F72'), '8F1C': codeIndex('8F1C'), '8F72@PPMID': codeIndex('8F72@PPMID'), '8F1C@PPMID': codeIndex('8F1C@PPMID'),
      N40: codeIndex('N40'), N41: codeIndex('N41'), N42: codeIndex('N42'), N43: codeIndex('N43'), N44: codeIndex('N44'),
    };
    this.distributors = net.csps.map((csp, region) => {
      const d = new CspDistributor(
        sim, csp.name, csp.server, csp.config.capacityPerSecond, p.blockIntervalMs[region], p, scenario.epoch,
        streams.stream(`firmware/distribution/${csp.name}`), mode, (row, ok, at) => this.distributed(row, ok, at),
      );
      d.blocked = (row) => !estate.isPowered(this.targets.hub[row]);
      return d;
    });
    this.unreachable = new FifoChain(sim, 'firmware.unreachable', (row) => this.distributed(row, false, this.sim.now));
    this.kSend = sim.on('firmware.send', (c, i) => this.send(c, i));
    this.kHan = sim.on('firmware.han', (row) => this.onDevice(row));
    this.kActivate = sim.on('firmware.activate', (row) => this.activate(row));
    this.kHubActivate = sim.on('firmware.hubActivate', (row) => this.hubActivated(row));
    this.kUploaded = sim.on('firmware.s1spUpload', (row, ok) => this.distributed(row, ok === 1, this.sim.now));
    requests.onEnd = (row, answered) => this.activationAnswered(row, answered);
    this.kStart = sim.on('firmware.campaign', (c) => this.startCampaign(c));
    for (let c = 0; c < this.campaigns.length; c++) sim.at(this.campaigns[c].event.at, this.kStart, c);
  }

  /** Campaign c starts: its targets are the devices that qualify now; its requests follow at its rate. */
  private startCampaign(c: number): void {
    const camp = this.campaigns[c];
    const e = camp.event;
    const rows = selectTargets(this.estate, e, this.seed, this.streams.stream(`events/${camp.index}-firmwareCampaign`));
    const T = this.targets;
    camp.first = T.size;
    camp.count = rows.length;
    T.ensure(T.size + rows.length);
    const kind = KINDS.indexOf(camp.kind);
    const isHub = camp.kind === 'hub';
    for (let i = 0; i < rows.length; i++) {
      const r = T.size++;
      const hub = isHub ? rows[i] : this.estate.deviceHub[rows[i]];
      T.campaign[r] = c;
      T.device[r] = isHub ? -1 : rows[i];
      T.hub[r] = hub;
      T.region[r] = this.estate.hubRegion[hub];
      T.kind[r] = kind;
      T.make[r] = makeOf(camp.kind, rows[i], this.seed);
      T.fromIndex[r] = isHub ? this.estate.hubFirmware[hub] : this.estate.deviceFirmware[rows[i]];
    }
    this.counts.targeted += rows.length;
    for (const d of this.distributors) d.reserve(T.size);
    if (rows.length > 0) this.send(c, 0);
  }

  /** Distributor of a row's CSP. */
  distributor(region: number): CspDistributor {
    return this.distributors[region];
  }

  /** The i-th request of campaign c: the User sends 11.1; the DSP passes it on; the next is scheduled at the campaign's rate. */
  private send(c: number, i: number): void {
    const camp = this.campaigns[c];
    const T = this.targets;
    const row = camp.first + i;
    const now = this.sim.now;
    if (i + 1 < camp.count) this.sim.at(camp.event.at + Math.round(((i + 1) * 3_600_000) / camp.event.perHour), this.kSend, c, i + 1);
    this.counts.requested++;
    T.tRequested[row] = now;
    const passed = now + Math.round(this.dspDelay());
    T.tDspPassed[row] = passed;
    const hub = T.hub[row];
    const region = T.region[row];
    if (region === SMETS1) {
      // The S1SP uploads the image to the device (or hub) itself and reports it (CR1440).
      const ok = this.rng() >= this.p.s1spUploadFailure && this.estate.isCommissioned(hub);
      this.sim.at(passed + Math.round(this.upload()), this.kUploaded, row, ok ? 1 : 0);
      return;
    }
    if (!this.estate.isCommissioned(hub) || this.rng() < this.p.unreachableShare) {
      this.unreachable.push(now + this.p.distributionTarget, row, 0);
      return;
    }
    this.distributors[region].start(row, camp.blocks);
  }

  /** The image reached the CHF at `at` (SMETS1: the S1SP's upload ended), or never will. */
  private distributed(row: number, ok: boolean, at: number): void {
    const T = this.targets;
    T.tChf[row] = at;
    if (T.region[row] !== SMETS1) T.lostBlocks[row] = this.distributors[T.region[row]].lost(row);
    const kind = this.campaigns[T.campaign[row]].kind;
    if (!ok) {
      T.dist[row] = DIST_FAILED;
      this.counts.distributionFailed++;
      if (kind !== 'hub') this.dccAlert('N40', row, T.device[row]);
      return;
    }
    T.dist[row] = DIST_OK;
    this.counts.distributed++;
    if (kind !== 'hub' && T.region[row] !== SMETS1) this.dccAlert('N41', row, -1);
    if (kind === 'hub') {
      this.sim.at(Math.max(this.sim.now, at + Math.round(this.hubActivation())), this.kHubActivate, row);
      return;
    }
    if (T.region[row] === SMETS1) {
      T.tHan[row] = at;
      T.verify[row] = VERIFY_S1SP;
      this.sim.at(Math.max(this.sim.now, at + Math.round(this.activationDelay())), this.kActivate, row);
      return;
    }
    this.sim.at(Math.max(this.sim.now, at + Math.round(this.han())), this.kHan, row);
  }

  /** The image is on the device: it verifies and says so, or not. */
  private onDevice(row: number): void {
    const T = this.targets;
    const now = this.sim.now;
    T.tHan[row] = now;
    const kind = this.campaigns[T.campaign[row]].kind;
    if (!acknowledges(kind, T.make[row])) {
      // Seed 003: the User hears nothing; it activates once the SLA has passed.
      T.verify[row] = VERIFY_NOT_EXPECTED;
      this.dccAlert('N42', row, -1);
      this.sim.at(T.tChf[row] + this.p.verificationDeadline, this.kActivate, row);
      return;
    }
    const u = this.rng();
    if (u < this.p.silence) {
      T.verify[row] = VERIFY_SILENT;
      this.counts.silent++;
      return;
    }
    const ok = u >= this.p.silence + this.p.verificationFailure;
    const t = now + Math.round(this.verification());
    T.tVerified[row] = t;
    T.verify[row] = ok ? VERIFY_OK : VERIFY_FAILED;
    const ppmid = this.estate.deviceType[T.device[row]] === PPMID;
    const code = this.codes[(ok ? '8F72' : '8F1C') + (ppmid ? '@PPMID' : '')];
    this.alerts.raiseDeviceAlert(code, T.hub[row], T.device[row], t, this.campaigns[T.campaign[row]].index + 1);
    if (ok) {
      this.counts.verified++;
      this.sim.at(t + Math.round(this.activationDelay()), this.kActivate, row);
    } else {
      this.counts.verificationFailed++;
    }
  }

  /** The User sends SRV 11.3 for the row's device: on demand, or future-dated to the campaign's activateAt. */
  private activate(row: number): void {
    const T = this.targets;
    const camp = this.campaigns[T.campaign[row]];
    const hub = T.hub[row];
    const now = this.sim.now;
    const at = camp.event.activateAt;
    const future = at > now;
    const user = this.net.supplierUsers[this.estate.hubSupplier[hub]];
    T.tActSent[row] = now;
    const device = T.device[row];
    const type = device >= 0 ? this.estate.deviceType[device] : -1;
    const r = this.requests.send(this.srv113, future ? TIMING_FUTURE_DATED : TIMING_ON_DEMAND, hub, device, type, T.region[row], user, 0, future ? at : now);
    this.activations.set(this.requests.table.get(r, Q.serial), row);
  }

  /** An 11.3's response reached the User (or the request was lost). */
  private activationAnswered(req: number, answered: boolean): void {
    const R = this.requests.table;
    if (R.get(req, Q.srv) !== this.srv113) return;
    const row = this.activations.get(R.get(req, Q.serial));
    if (row === undefined) return;
    this.activations.delete(R.get(req, Q.serial));
    const T = this.targets;
    if (!answered) {
      T.act[row] = ACT_LOST;
      return;
    }
    T.tActDone[row] = R.get(req, Q.tResponseSent);
    if (R.get(req, Q.code) === RC_SUCCESS) {
      T.act[row] = ACT_OK;
      this.counts.activated++;
      this.estate.deviceFirmware[T.device[row]] = this.campaigns[T.campaign[row]].toIndex;
    } else {
      T.act[row] = ACT_FAILED;
      this.counts.activationFailed++;
      this.dccAlert('N43', row, T.device[row]);
    }
  }

  /** The CSP (SMETS1: the S1SP) activates a Comms Hub's new image (CR1423). */
  private hubActivated(row: number): void {
    const T = this.targets;
    T.tActSent[row] = T.tChf[row];
    T.tActDone[row] = this.sim.now;
    if (this.rng() < this.p.hubActivationFailure) {
      T.act[row] = ACT_FAILED;
      this.counts.activationFailed++;
      return;
    }
    T.act[row] = ACT_OK;
    this.counts.activated++;
    this.estate.hubFirmware[T.hub[row]] = this.campaigns[T.campaign[row]].toIndex;
    this.dccAlert('N44', row, -1);
  }

  /** The DSP tells the premises' supplier of a stage of the row's firmware journey (N40-N44), about `device` (-1: the hub). */
  private dccAlert(code: 'N40' | 'N41' | 'N42' | 'N43' | 'N44', row: number, device: number): void {
    const hub = this.targets.hub[row];
    this.alerts.raiseDspAlert(this.codes[code], hub, device, this.net.supplierUsers[this.estate.hubSupplier[hub]], row);
    this.counts.dccAlerts++;
  }

  /** What a firmware DCC Alert about target `row` says (its DUIS body). */
  alertDetail(row: number): FirmwareAlertDetail {
    const T = this.targets;
    const camp = this.campaigns[T.campaign[row]];
    const d = T.device[row];
    const hub = T.hub[row];
    return {
      // The User's SRV 11.1 counter: one request per target, numbered in the run.
      requestCounter: row + 1,
      targetEuiHi: d < 0 ? hubEuiHigh(hub) : deviceEuiHigh(d),
      targetEuiLo: d < 0 ? hubEuiLow(hub) : deviceEuiLow(d),
      version: camp.event.toVersion,
      deviceVersion: this.estate.firmwareVersions[camp.kind][T.fromIndex[row]],
      deviceType: DUIS_DEVICE_TYPES[T.kind[row]],
      ok: T.dist[row] === DIST_OK,
      hubAlertCode: CHF_TRANSFER_ALERT,
    };
  }
}
