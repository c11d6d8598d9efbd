/**
 * The firmware flow's feeds, written from the Targets table when the run
 * ends: the daily throughput (per campaign, region, device type and day), the
 * Comms Hub daily file (CR1423), the SMETS1 per-device records (CR1440) and
 * the ground truth. Only what happened before the run's end is counted or
 * stamped: the feeds of a run cut short stop where it stopped.
 */
import { REGION_LABELS, SMETS1, REGION_COUNT } from '../../dcc/regions.js';
import { MAKES } from '../../dcc/makes.js';
import { formatTimestamp } from '../../dcc/time.js';
import { s1spId, type RunIds } from '../../dcc/ids.js';
import { euiOfDevice, euiOfHub } from '../../estate/eui.js';
import type { Estate } from '../../estate/estate.js';
import type { FeedSink } from '../../feeds/sink.js';
import { FIRMWARE_DAILY_COUNTS, FIRMWARE_DAILY_PATH, serializeFirmwareDaily, type FirmwareDailyRecord } from '../../feeds/firmware-daily.js';
import { COMMS_HUB_COUNTS, FIRMWARE_COMMS_HUB_PATH, serializeFirmwareCommsHub, type FirmwareCommsHubRecord } from '../../feeds/firmware-comms-hub.js';
import { FIRMWARE_S1SP_PATH, serializeFirmwareS1sp, type FirmwareS1spRecord } from '../../feeds/firmware-s1sp.js';
import { FIRMWARE_TRUTH_PATH, serializeFirmwareTruth, type FirmwareTruthRecord } from '../../feeds/firmware-truth.js';
import { DAY } from './params.js';
import type { FirmwareFlow } from './flow.js';
import {
  ACT_FAILED, ACT_NAMES, ACT_OK, DIST_FAILED, DIST_OK, KINDS, VERIFY_FAILED, VERIFY_NAMES, VERIFY_NOT_EXPECTED, VERIFY_OK, VERIFY_SILENT,
} from './targets.js';

/** Device type labels by KINDS index (hub, esme, gsme, ppmid). */
const TYPE_LABELS = ['CH', 'ESME', 'GSME', 'PPMID'] as const;
const NC = FIRMWARE_DAILY_COUNTS.length;
const C = Object.fromEntries(FIRMWARE_DAILY_COUNTS.map((c, i) => [c, i])) as Record<(typeof FIRMWARE_DAILY_COUNTS)[number], number>;

export function campaignId(eventIndex: number): string {
  return `FW-${eventIndex + 1}`;
}

export interface FirmwareFiles {
  path: string;
  records: number;
  bytes: number;
}

/**
 * Counts per (campaign, day, region, device type) in one typed array:
 * counts[cell * NC + count], cell = ((campaign * days + day) * REGION_COUNT + region) * 4 + type.
 */
class DailyCells {
  readonly counts: Int32Array;
  readonly seen: Uint8Array;
  private base = 0;

  constructor(campaigns: number, private readonly days: number, private readonly epoch: number, private readonly firstDay: number, private readonly end: number) {
    this.counts = new Int32Array(Math.max(1, campaigns * days * REGION_COUNT * 4 * NC));
    this.seen = new Uint8Array(Math.max(1, campaigns * days * REGION_COUNT * 4));
  }

  /** The row counted next. */
  row(campaign: number, region: number, kind: number): void {
    this.base = (campaign * this.days * REGION_COUNT + region) * 4 + kind;
  }

  /** Count `c` on the day of time t, if t is a moment of the run. */
  readonly add = (t: number, c: number): void => {
    if (!(t < this.end)) return; // NaN too
    const cell = this.base + (Math.floor((this.epoch + t) / DAY) - this.firstDay) * REGION_COUNT * 4;
    this.seen[cell] = 1;
    this.counts[cell * NC + c]++;
  };
}

/** Writes every firmware file; returns them for the run summary. */
export function writeFirmwareFeeds(flow: FirmwareFlow, estate: Estate, sink: FeedSink, ids: RunIds, epoch: number, end: number, truth: boolean): FirmwareFiles[] {
  const T = flow.targets;
  const firstDay = Math.floor(epoch / DAY);
  const days = Math.floor((epoch + end) / DAY) - firstDay + 1;
  const nCamp = flow.campaigns.length;
  const cells = new DailyCells(nCamp, days, epoch, firstDay, end);
  const { counts, seen } = cells;
  const within = (t: number) => t === t && t < end;
  const p = flow.p;
  for (let r = 0; r < T.size; r++) {
    cells.row(T.campaign[r], T.region[r], T.kind[r]);
    const add = cells.add;
    const req = T.tRequested[r];
    add(req, C.targeted);
    const target = req + p.distributionTarget;
    const chf = T.tChf[r];
    if (T.dist[r] === DIST_OK) {
      add(chf, C.distributedToChf);
      if (chf - req <= p.distributionTarget) add(chf, C.distributedWithinTarget);
      else add(target, C.missedTarget);
    } else {
      if (T.dist[r] === DIST_FAILED) add(chf, C.distributionFailed);
      add(target, C.missedTarget);
    }
    const v = T.verify[r];
    if (v === VERIFY_OK || v === VERIFY_FAILED) {
      add(T.tVerified[r], C.transferredToDevice);
      add(T.tVerified[r], v === VERIFY_OK ? C.verified : C.verificationFailed);
    } else if (v === VERIFY_SILENT) add(chf + p.verificationDeadline, C.silent);
    else if (v === VERIFY_NOT_EXPECTED) add(chf, C.noAcknowledgement);
    else if (v !== 0) add(chf, C.transferredToDevice); // SMETS1: the S1SP's upload reached the device
    if (T.act[r] === ACT_OK) add(T.tActDone[r], C.activationSuccess);
    else if (T.act[r] === ACT_FAILED) add(T.tActDone[r], C.activationFailure);
  }
  const files: FirmwareFiles[] = [];
  const daily = sink.open(FIRMWARE_DAILY_PATH, 'jsonl');
  const hubs = sink.open(FIRMWARE_COMMS_HUB_PATH, 'jsonl');
  const dayLabel = (d: number) => new Date((firstDay + d) * DAY).toISOString().slice(0, 10);
  for (let c = 0; c < nCamp; c++) {
    const id = campaignId(flow.campaigns[c].index);
    for (let d = 0; d < days; d++) {
      for (let region = 0; region < REGION_COUNT; region++) {
        for (let k = 0; k < 4; k++) {
          const cell = ((c * days + d) * REGION_COUNT + region) * 4 + k;
          if (seen[cell] === 0) continue;
          const at = (name: (typeof FIRMWARE_DAILY_COUNTS)[number]) => counts[cell * NC + C[name]];
          if (k === 0) {
            const rec: FirmwareCommsHubRecord = {
              day: dayLabel(d), campaignId: id, region: REGION_LABELS[region],
              attempts: at('targeted'), successes: at('distributedToChf'), failures: at('distributionFailed'),
              activations: at('activationSuccess'), activationFailures: at('activationFailure'),
            };
            hubs.write(serializeFirmwareCommsHub(rec));
            continue;
          }
          const rec = { day: dayLabel(d), campaignId: id, region: REGION_LABELS[region], deviceType: TYPE_LABELS[k] } as FirmwareDailyRecord;
          for (const name of FIRMWARE_DAILY_COUNTS) rec[name] = at(name);
          daily.write(serializeFirmwareDaily(rec));
        }
      }
    }
  }
  files.push({ path: FIRMWARE_DAILY_PATH, records: daily.records, bytes: daily.bytes }, { path: FIRMWARE_COMMS_HUB_PATH, records: hubs.records, bytes: hubs.bytes });
  void COMMS_HUB_COUNTS;

  // SMETS1 (CR1440): the upload and the activation of each device, as its S1SP reports them.
  // One record object, refilled per stage: a million-device campaign writes over half a million.
  const campaignIds = flow.campaigns.map((c) => campaignId(c.index));
  const s1 = sink.open(FIRMWARE_S1SP_PATH, 'jsonl');
  const stage: FirmwareS1spRecord = {
    recordId: '', s1sp: '', campaignId: '', deviceId: '', deviceType: TYPE_LABELS[0], stage: 'upload',
    requestReceivedTimestamp: '', reportedTimestamp: '', outcome: 'success', roundTripMs: 0,
  };
  let serial = 0;
  const writeStage = (name: 'upload' | 'activation', from: number, to: number, ok: boolean) => {
    stage.recordId = ids.firmwareRecordId(++serial);
    stage.stage = name;
    stage.requestReceivedTimestamp = formatTimestamp(epoch + from);
    stage.reportedTimestamp = formatTimestamp(epoch + to);
    stage.outcome = ok ? 'success' : 'failure';
    stage.roundTripMs = Math.max(0, to - from);
    s1.write(serializeFirmwareS1sp(stage));
  };
  for (let r = 0; r < T.size; r++) {
    if (T.region[r] !== SMETS1) continue;
    const upload = T.dist[r] !== 0 && within(T.tChf[r]);
    const activation = (T.act[r] === ACT_OK || T.act[r] === ACT_FAILED) && within(T.tActDone[r]);
    if (!upload && !activation) continue;
    const hub = T.hub[r];
    stage.s1sp = s1spId(estate.hubS1sp[hub]);
    stage.campaignId = campaignIds[T.campaign[r]];
    stage.deviceId = T.device[r] < 0 ? euiOfHub(hub) : euiOfDevice(T.device[r]);
    stage.deviceType = TYPE_LABELS[T.kind[r]];
    if (upload) writeStage('upload', T.tDspPassed[r], T.tChf[r], T.dist[r] === DIST_OK);
    if (activation) writeStage('activation', T.tActSent[r], T.tActDone[r], T.act[r] === ACT_OK);
  }
  files.push({ path: FIRMWARE_S1SP_PATH, records: s1.records, bytes: s1.bytes });

  if (truth) {
    const w = sink.open(FIRMWARE_TRUTH_PATH, 'jsonl');
    const ts = (t: number) => (within(t) ? formatTimestamp(epoch + t) : undefined);
    // One record and one times object, refilled per row: a field left undefined is left out of the line.
    const times: FirmwareTruthRecord['times'] = {};
    const rec: FirmwareTruthRecord = {
      targetId: '', campaignId: '', deviceId: '', deviceType: 'CH', make: '', region: REGION_LABELS[0], fromVersion: '', toVersion: '',
      blocks: 0, lostBlocks: 0, distribution: 'pending', verification: 'none', activation: 'none', times,
    };
    for (let r = 0; r < T.size; r++) {
      const camp = flow.campaigns[T.campaign[r]];
      const kind = KINDS[T.kind[r]];
      const chf = T.tChf[r];
      const requested = T.tRequested[r];
      const delivered = T.dist[r] === DIST_OK;
      const failed = T.dist[r] === DIST_FAILED;
      const v = T.verify[r];
      const verifyTime = v === VERIFY_SILENT ? chf + p.verificationDeadline : v === VERIFY_OK || v === VERIFY_FAILED ? T.tVerified[r] : T.tHan[r];
      rec.targetId = ids.firmwareTargetId(r + 1);
      rec.campaignId = campaignIds[T.campaign[r]];
      rec.deviceId = T.device[r] < 0 ? euiOfHub(T.hub[r]) : euiOfDevice(T.device[r]);
      rec.deviceType = TYPE_LABELS[T.kind[r]];
      rec.make = MAKES[kind][T.make[r]].name;
      rec.region = REGION_LABELS[T.region[r]];
      rec.fromVersion = estate.firmwareVersions[kind][T.fromIndex[r]];
      rec.toVersion = camp.event.toVersion;
      rec.blocks = camp.blocks;
      rec.lostBlocks = T.lostBlocks[r];
      rec.distribution = delivered && within(chf) ? 'delivered' : failed && within(chf) ? 'failed' : 'pending';
      rec.verification = v !== 0 && within(verifyTime) ? VERIFY_NAMES[v] as FirmwareTruthRecord['verification'] : 'none';
      rec.activation = T.act[r] !== 0 && within(T.tActDone[r]) ? ACT_NAMES[T.act[r]] as FirmwareTruthRecord['activation'] : 'none';
      times.trueRequestedTimestamp = ts(requested);
      times.trueDspPassedTimestamp = ts(T.tDspPassed[r]);
      times.trueChfReceivedTimestamp = delivered ? ts(chf) : undefined;
      times.trueDeviceReceivedTimestamp = ts(T.tHan[r]);
      times.trueVerificationTimestamp = ts(T.tVerified[r]);
      times.trueActivationRequestedTimestamp = ts(T.tActSent[r]);
      times.trueActivationResponseTimestamp = ts(T.tActDone[r]);
      times.trueDistributionFailedTimestamp = failed ? ts(chf) : undefined;
      times.trueTargetMissedTimestamp = delivered && chf - requested <= p.distributionTarget ? undefined : ts(requested + p.distributionTarget);
      times.trueSilentTimestamp = v === VERIFY_SILENT ? ts(chf + p.verificationDeadline) : undefined;
      w.write(serializeFirmwareTruth(rec));
    }
    files.push({ path: FIRMWARE_TRUTH_PATH, records: w.records, bytes: w.bytes });
  }
  return files;
}
