/**
 * From alert rows to feed records: the one place where the alert journey's
 * state meets the feed formats. Times are turned into feed timestamps here
 * and nowhere upstream; ids are spelled here (src/dcc/ids.ts).
 *
 * It lives with the alert flow, not in src/feeds/, because it reads the
 * alert table's layout and implements the journey's AlertRecorder: a feed
 * module knows its record and serialiser only, and never the simulator
 * (data flows one way, flows -> feeds). Every line it writes comes from a
 * feed module's serialiser.
 *
 * A feed carries only what its producer can know, on the producer's clock
 * (docs/feeds.md, "Who stamps what"): the DSP knows CSP North's departure
 * stamp, never its arrival, for a Device Alert and for every DCC Alert it
 * raises from one; the DSP stamps a DUIS ResponseDateTime when it sends; a
 * hub's times carry its SDK clock's offset. The ground truth alone has the
 * true times, and the alerts lost before the DSP.
 *
 * Longer than most files on purpose: it is the one place that spells every
 * feed record from a journey row (one method per record), so that what each
 * feed may carry is decided side by side.
 */
import type { Estate } from '../../estate/index.js';
import { deviceEui, deviceEuiHigh, deviceEuiLow, hubEui, hubEuiHigh, hubEuiLow } from '../../estate/index.js';
import type { Network } from '../../network/index.js';
import { NORTH, REGION_LABELS, SMETS1 } from '../../dcc/regions.js';
import { ACB_EUI_LOW, USER_EUI_HIGH, USER_EUI_LOW_BASE, mpanOf, s1spId, type RunIds } from '../../dcc/ids.js';
import type { Scenario } from '../../scenario/types.js';
import { ALERT_CATALOGUE } from '../../dcc/alerts.js';
import type { FirmwareAlertDetail } from '../../dcc/duis.js';
import {
  AlertThroughputWindows,
  CSP_FORWARD_PATH,
  CSP_NORTH_RNI_PATH,
  DSP_AST_PATH,
  GROUND_TRUTH_PATH,
  S1SP_AUDIT_TRAIL_PATH,
  SU_DELIVERIES_PATH,
  ALERT_THROUGHPUT_PATH,
  dccAlertXml,
  deviceAlertXml,
  duisPath,
  writeRecord,
  type HexEui,
  type SerialId,
  spellCspForward,
  spellCspNorthRni,
  spellDspAst,
  spellGroundTruth,
  spellS1spAuditTrail,
  spellSuDelivery,
  type DspOutcome,
  LOST_AT,
  LOST_REASONS,
  type FeedSink,
  type FeedWriter,
} from '../../feeds/index.js';
import { AlertPayloads } from './payloads.js';
import { chfRaised, feedAlertCodes, gbcsCodes, routingTable } from './routing.js';
import { TO_DSP, TO_NETWORK_OPERATOR, type AlertRecorder, type RoutingTable } from './journey.js';
import {
  OUTCOME_DELIVERED,
  OUTCOME_FAILED,
  OUTCOME_LOST,
  OUTCOME_NAMES,
  type AlertTable,
} from './table.js';

/**
 * The feeds alerts share with Service Responses (CSP North's sendMessage
 * records, the S1SP audit trail, each User's DUIS file): one writer each,
 * opened here, written by both flows in event order.
 */
export interface SharedFeedWriters {
  rni: FeedWriter;
  s1spAudit: FeedWriter;
  /** Per User index; null when DUIS bodies are off. */
  duis: ReadonlyArray<FeedWriter | null>;
}

export class FeedRecorder implements AlertRecorder {
  private table!: AlertTable;
  private readonly epoch: number;
  private readonly rni: FeedWriter;
  private readonly forward: FeedWriter;
  private readonly audit: FeedWriter;
  private readonly ast: FeedWriter;
  private readonly deliveries: FeedWriter;
  private readonly truth: FeedWriter | null;
  private readonly throughput: AlertThroughputWindows;
  private readonly duisWriters: Array<FeedWriter | null>;
  private payloads!: AlertPayloads;
  private readonly signPayloads: boolean;
  private readonly codes: string[];
  private readonly numericCodes: Int32Array;
  private readonly messageCodes: Int32Array;
  /** Per code: raised by the hub itself (its EUI is the originator). */
  private readonly chfRaised: Uint8Array;
  private readonly userIds: string[];
  private readonly eventLabels: Array<string | undefined>;
  private readonly routing: RoutingTable = routingTable();
  private readonly failedQueueRetention: number;
  private readonly opened: Array<{ path: string; w: FeedWriter }> = [];
  /** Per code: a firmware path DCC Alert (N40-N44), whose DUIS body the firmware flow describes. */
  private readonly firmwareBody = Uint8Array.from(ALERT_CATALOGUE, (a) => (a.firmwarePath === true ? 1 : 0));
  /** The firmware flow's description of the target an alert refers to (T.request), when a run has one. */
  firmwareDetail: ((ref: number) => FirmwareAlertDetail) | null = null;

  constructor(
    private readonly sink: FeedSink,
    scenario: Scenario,
    private readonly estate: Estate,
    private readonly net: Network,
    private readonly ids: RunIds,
  ) {
    this.epoch = scenario.epoch;
    this.failedQueueRetention = net.dsp.config.failedQueueRetention;
    const open = (p: string, kind: 'jsonl' | 'csv' | 'ndxml') => {
      const w = sink.open(p, kind);
      this.opened.push({ path: p, w });
      return w;
    };
    this.rni = open(CSP_NORTH_RNI_PATH, 'jsonl');
    this.forward = open(CSP_FORWARD_PATH, 'jsonl');
    this.audit = open(S1SP_AUDIT_TRAIL_PATH, 'jsonl');
    this.ast = open(DSP_AST_PATH, 'jsonl');
    this.deliveries = open(SU_DELIVERIES_PATH, 'jsonl');
    this.throughput = new AlertThroughputWindows(open(ALERT_THROUGHPUT_PATH, 'csv'));
    this.truth = scenario.output.groundTruth ? open(GROUND_TRUTH_PATH, 'jsonl') : null;
    this.userIds = net.serviceUsers.map((u) => u.id);
    this.duisWriters = scenario.output.duisBodies
      ? this.userIds.map((id) => open(duisPath(id), 'ndxml'))
      : this.userIds.map(() => null);
    this.signPayloads = scenario.output.signPayloads;
    this.codes = feedAlertCodes();
    const gbcs = gbcsCodes();
    this.numericCodes = gbcs.alertCode;
    this.messageCodes = gbcs.messageCode;
    this.chfRaised = chfRaised();
    this.eventLabels = [undefined, ...scenario.events.map((e, i) => e.label ?? `${e.type}#${i + 1}`)];
  }

  get shared(): SharedFeedWriters {
    return { rni: this.rni, s1spAudit: this.audit, duis: this.duisWriters };
  }

  /**
   * The journey's table (set once the journey exists). `cachePayloads`
   * false: each call's row is new to the recorder (a one-row replica on the
   * feeds thread), so a payload is built wherever it is written.
   */
  attach(table: AlertTable, cachePayloads = true): void {
    this.table = table;
    this.payloads = new AlertPayloads(table, this.estate, this.net, this.epoch, this.signPayloads, cachePayloads);
  }

  /** A journey time (NaN: none) as Unix ms for the spellers, which write it as digits; undefined when there is none. */
  private ts(t: number): number | undefined {
    return t === t ? this.epoch + t : undefined;
  }

  /** Raised by the hub, or about it (N12, N13 after a request to the CHF or the DSP: no device). */
  private aboutHub(row: number): boolean {
    return this.chfRaised[this.table.origin[row]] === 1 || this.table.device[row] < 0;
  }

  private deviceEui(row: number): HexEui {
    const T = this.table;
    return this.aboutHub(row) ? hubEui(T.hub[row]) : deviceEui(T.device[row]);
  }

  cspNorth(row: number): void {
    const T = this.table;
    writeRecord(this.rni, spellCspNorthRni, {
      responseId: this.ids.sourceRef(T.source[row]),
      commsHubId: T.repId[row],
      payload: this.payloads.of(row),
      timestamp: this.ts(T.tCspDeparture[row])!,
      HubTimestamp: this.ts(T.tHubStamp[row]),
    });
  }

  cspForward(row: number): void {
    const T = this.table;
    writeRecord(this.forward, spellCspForward, {
      messageId: this.ids.sourceRef(T.source[row]),
      csp: REGION_LABELS[T.region[row]],
      commsHubId: hubEui(T.hub[row]),
      payload: this.payloads.of(row),
      HubTimestamp: this.ts(T.tHubStamp[row]),
      cspReceivedTimestamp: this.ts(T.tCspArrival[row])!,
      cspSentTimestamp: this.ts(T.tCspDeparture[row])!,
    });
  }

  s1spAudit(row: number): void {
    const T = this.table;
    writeRecord(this.audit, spellS1spAuditTrail, {
      auditId: this.ids.sourceRef(T.source[row]),
      s1sp: s1spId(this.estate.hubS1sp[T.hub[row]]),
      deviceId: this.deviceEui(row),
      alertCode: this.codes[T.code[row]],
      T1: this.ts(T.tCondition[row])!,
      T2: this.ts(T.tCspArrival[row])!,
      T4: this.ts(T.tCspDeparture[row]),
      T5: this.ts(T.tDspReceived[row]),
    });
  }

  delivery(row: number, sent: number, received: number, handshake: number): void {
    const T = this.table;
    const attempt = T.attempts[row];
    writeRecord(this.deliveries, spellSuDelivery, {
      deliveryId: this.ids.alertRef(T.serial[row], attempt),
      alertId: this.ids.alertRef(T.serial[row]),
      userId: this.userIds[T.user[row]],
      attempt,
      alertCode: this.codes[T.code[row]],
      sentTimestamp: this.ts(sent)!,
      receivedTimestamp: this.ts(received),
      handshakeTimestamp: this.ts(handshake),
      outcome: handshake === handshake ? 'acknowledged' : received === received ? 'noHandshake' : 'gatewayDown',
    });
  }

  duis(row: number): void {
    const T = this.table;
    const user = T.user[row];
    const w = this.duisWriters[user];
    if (w === null) return;
    const throttled = T.throttled[row] === 1;
    const seq = throttled ? T.throttledSeq[row] : undefined;
    const count = throttled ? T.throttledCount[row] : undefined;
    const recipientLo = USER_EUI_LOW_BASE + user;
    const origin = T.origin[row];
    // ResponseDateTime: the DSP's own stamp when it sends the alert (first attempt).
    const responseDateTime = this.epoch + T.tPassed[row];
    if (T.dcc[row] === 0) {
      const device = T.device[row];
      const chf = this.chfRaised[origin] === 1;
      w.write(
        deviceAlertXml({
          alertCode: this.numericCodes[origin],
          deviceEuiHi: chf ? hubEuiHigh(T.hub[row]) : deviceEuiHigh(device),
          deviceEuiLo: chf ? hubEuiLow(T.hub[row]) : deviceEuiLow(device),
          recipientEuiHi: USER_EUI_HIGH,
          recipientEuiLo: recipientLo,
          counter: T.source[row],
          responseDateTime,
          gbcsPayload: this.payloads.of(row),
          throttledAlertSequenceId: seq,
          throttledAlertCount: count,
        }),
      );
      return;
    }
    const code = this.codes[T.code[row]];
    const hub = T.hub[row];
    // The device a DCC Alert is about: the Comms Hub for AD1 and hub alerts, else the raising device.
    const ad1 = code === 'AD1';
    const aboutHub = ad1 || this.aboutHub(row);
    const device = T.device[row];
    // AD1: the power failure as the hub's last gasp stamped it (its SDK clock). Otherwise the
    // alert time in the GBCS payload: the device's clock, to the second.
    const eventTime = ad1 ? this.epoch + T.tHubStamp[row] : Math.floor((this.epoch + T.tCondition[row]) / 1000) * 1000;
    w.write(
      dccAlertXml({
        dccAlertCode: code,
        originatorEuiHi: USER_EUI_HIGH,
        originatorEuiLo: ACB_EUI_LOW,
        recipientEuiHi: USER_EUI_HIGH,
        recipientEuiLo: recipientLo,
        counter: T.serial[row],
        responseDateTime,
        throttledAlertSequenceId: seq,
        throttledAlertCount: count,
        deviceEuiHi: aboutHub ? hubEuiHigh(hub) : deviceEuiHigh(device),
        deviceEuiLo: aboutHub ? hubEuiLow(hub) : deviceEuiLow(device),
        eventTime,
        mpxn: mpanOf(this.estate.hubArea[hub], hub),
        deviceAlertCode: ad1 ? undefined : this.numericCodes[origin],
        messageCode: ad1 ? undefined : this.messageCodes[origin],
        requestCounter: T.request[row],
        firmware: this.firmwareBody[T.code[row]] === 1 && this.firmwareDetail ? this.firmwareDetail(T.request[row]) : undefined,
      }),
    );
  }

  handedOver(row: number): void {
    this.payloads.release(row);
  }

  finish(row: number, outcome: number, at: number): void {
    const T = this.table;
    this.payloads.release(row);
    if (outcome === OUTCOME_LOST) {
      // Never reached the DSP: no DSP record, only the ground truth knows.
      this.groundTruth(row, outcome, undefined, at, this.reportedDevice(row), this.targetUser(row));
      return;
    }
    const out = OUTCOME_NAMES[outcome] as DspOutcome;
    const region = REGION_LABELS[T.region[row]];
    const code = this.codes[T.code[row]];
    const id = this.ids.alertRef(T.serial[row]);
    const isS1 = T.region[row] === SMETS1;
    const throttled = T.throttled[row] === 1;
    // What the DSP can report: CSP North's HubTimestamp stands for the CHF
    // receipt and its departure stamp for the CSP receipt (seed 001, 4.2),
    // for the Device Alert and for every DCC Alert the DSP raises from it
    // (both came through the RNI record, source >= 0; AD1 did not).
    const viaRni = T.region[row] === NORTH && T.source[row] >= 0;
    const chf = isS1 ? T.tCondition[row] : T.tHubStamp[row];
    const cspReceived = viaRni ? T.tCspDeparture[row] : T.tCspArrival[row];
    const handshake = outcome === OUTCOME_DELIVERED ? T.tHandshake[row] : NaN;
    // Spelled once for the DSP's record and the ground truth.
    const deviceId = this.reportedDevice(row);
    const targetUser = this.targetUser(row);
    writeRecord(this.ast, spellDspAst, {
      alertId: id,
      sourceId: T.source[row] >= 0 ? this.ids.sourceRef(T.source[row]) : undefined,
      alertType: T.dcc[row] === 1 ? 'DCCAlert' : 'DeviceAlert',
      alertCode: code,
      region,
      deviceId,
      targetUser,
      chfReceivedTimestamp: this.ts(isS1 ? NaN : chf),
      cspReceivedTimestamp: this.ts(cspReceived),
      // SMETS1: T5 (the S1SP's delivery); none for the DSP's own N12, N13 (no S1SP record).
      cspPassedTimestamp: this.ts(isS1 ? (T.source[row] >= 0 ? T.tDspReceived[row] : NaN) : T.tCspDeparture[row]),
      dspReceivedTimestamp: this.ts(T.tDspReceived[row])!,
      passedToServiceUserTimestamp: this.ts(T.tPassed[row]),
      serviceUserHandshakeTimestamp: this.ts(handshake),
      deliveryAttempts: T.attempts[row],
      outcome: out,
      throttled,
      throttledAlertSequenceId: throttled ? T.throttledSeq[row] : undefined,
      throttledAlertCount: throttled ? T.throttledCount[row] : undefined,
    });
    const e = this.epoch;
    this.throughput.add(
      region,
      code,
      isS1 ? NaN : e + chf,
      e + cspReceived,
      e + T.tDspReceived[row],
      e + T.tPassed[row],
      e + handshake,
      out,
      throttled,
      e + at,
    );
    this.groundTruth(row, outcome, id, at, deviceId, targetUser);
  }

  /** The EUI-64 the DSP reports an alert under: the hub for AD1, else the raising device (the hub for its own alerts). */
  private reportedDevice(row: number): HexEui {
    const T = this.table;
    return T.dcc[row] === 1 && this.codes[T.code[row]] === 'AD1' ? hubEui(T.hub[row]) : this.deviceEui(row);
  }

  /**
   * The User an alert is for: as routed, else the one it was aimed at (an
   * alert lost or rejected before routing). `DSP` for a Device Alert aimed at
   * the DSP's ACB, or an area no network operator serves.
   */
  private targetUser(row: number): string {
    const T = this.table;
    if (T.user[row] >= 0) return this.userIds[T.user[row]];
    const receiver = this.routing.receiver[T.code[row]];
    if (receiver === TO_DSP || T.serial[row] >= 0) return 'DSP';
    const hub = T.hub[row];
    const user = receiver === TO_NETWORK_OPERATOR ? this.net.operatorOfArea[this.estate.hubArea[hub]] : this.net.supplierUsers[this.estate.hubSupplier[hub]];
    return user >= 0 ? this.userIds[user] : 'DSP';
  }

  /** `at`: when the journey ended (for a failed alert, when it entered the failed queue); `deviceId`, `targetUser` as reportedDevice and targetUser spell them. */
  private groundTruth(row: number, outcome: number, alertId: SerialId | undefined, at: number, deviceId: HexEui, targetUser: string): void {
    if (!this.truth) return;
    const T = this.table;
    const lost = outcome === OUTCOME_LOST;
    const handshake = outcome === OUTCOME_DELIVERED ? T.tHandshake[row] : NaN;
    // Every time a hub stamped (HubTimestamp, a last gasp) is its true time plus this offset.
    const viaHub = T.region[row] !== SMETS1 && T.tWanSent[row] === T.tWanSent[row];
    writeRecord(this.truth, spellGroundTruth, {
      alertId,
      alertCode: this.codes[T.code[row]],
      region: REGION_LABELS[T.region[row]],
      targetUser,
      deviceId,
      trueConditionTimestamp: this.ts(T.tCondition[row]),
      trueChfReceivedTimestamp: this.ts(T.tChf[row]),
      trueWanSentTimestamp: this.ts(T.tWanSent[row]),
      trueHubClockOffsetMs: viaHub ? T.hubClockOffset[row] : undefined,
      trueCspArrivalTimestamp: this.ts(T.tCspArrival[row]),
      trueCspDepartureTimestamp: this.ts(T.tCspDeparture[row]),
      trueDspReceivedTimestamp: this.ts(T.tDspReceived[row]),
      truePassedToServiceUserTimestamp: this.ts(T.tPassed[row]),
      trueServiceUserReceivedTimestamp: this.ts(T.tUserReceived[row]),
      trueHandshakeTimestamp: this.ts(handshake),
      // The DSP discards a failed-queue alert after the retention, inside the run or after it.
      trueFailedQueueExpiryTimestamp: outcome === OUTCOME_FAILED ? this.ts(at + this.failedQueueRetention) : undefined,
      outcome: lost ? 'lost' : (OUTCOME_NAMES[outcome] as DspOutcome),
      lostAt: lost ? LOST_AT[T.lostAt[row] - 1] : undefined,
      lostReason: lost ? LOST_REASONS[T.lostReason[row] - 1] : undefined,
      event: this.eventLabels[T.cause[row]],
    });
  }

  /** Lets the throughput file write windows that can no longer change. */
  advance(now: number): void {
    this.throughput.advance(this.epoch + now);
  }

  close(): void {
    this.throughput.close();
  }

  /** Alerts too late for their (already written) throughput window. */
  get lateThroughput(): number {
    return this.throughput.late;
  }

  files(): Array<{ path: string; records: number; bytes: number }> {
    return this.opened.map((o) => ({ path: o.path, records: o.w.records, bytes: o.w.bytes })).sort((a, b) => a.path.localeCompare(b.path));
  }
}
