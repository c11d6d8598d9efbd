/**
 * From alert rows to feed records: the one place where simulator state meets
 * the feed formats. Times are turned into feed timestamps here and nowhere
 * upstream; ids are formatted from serials here.
 */
import type { Estate } from '../../estate/index.js';
import { euiOfDevice, euiOfHub, deviceEuiHigh, deviceEuiLow, hubEuiHigh, hubEuiLow } from '../../estate/index.js';
import type { Network } from '../../network/index.js';
import { REGION_LABELS, SMETS1 } from '../../network/regions.js';
import type { Scenario } from '../../scenario/types.js';
import {
  AlertThroughputWindows,
  CSP_FORWARD_PATH,
  CSP_NORTH_RNI_PATH,
  DSP_AST_PATH,
  GROUND_TRUTH_PATH,
  S1SP_AUDIT_TRAIL_PATH,
  SU_DELIVERIES_PATH,
  ALERT_THROUGHPUT_PATH,
  formatTimestamp,
  serializeCspForward,
  serializeCspNorthRni,
  serializeDspAst,
  serializeGroundTruth,
  serializeS1spAuditTrail,
  serializeSuDelivery,
  type DspOutcome,
  type FeedSink,
  type FeedWriter,
} from '../../feeds/index.js';
import { deviceAlertXml, dccAlertXml } from '../../feeds/duis.js';
import { GbcsAlertBuilder } from './gbcs.js';
import { ALERT_CATALOGUE } from './catalogue.js';
import { feedAlertCodes, raiserDeviceType, routingTable } from './routing.js';
import { TO_DSP, TO_NETWORK_OPERATOR, type AlertRecorder, type RoutingTable } from './journey.js';
import { CHF_RAISER, OUTCOME_DELIVERED, OUTCOME_LOST, OUTCOME_NAMES, type AlertTable } from './table.js';

/** Recipient system titles: one EUI-64 per Service User (prefix as the RTDS network-operator title). */
const USER_EUI_HIGH = 0x90b3d51f;
const USER_EUI_LOW_BASE = 0x30020000;
/** The DSP's Access Control Broker, recipient of Device Alerts aimed at the DSP. */
const ACB_EUI_LOW = 0x30000000;

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
  private readonly gbcs: GbcsAlertBuilder;
  /** GBCS payload of each row in flight (built once, carried to the DUIS body). */
  private readonly payloads: Array<string | undefined> = [];
  private readonly codes: string[];
  private readonly numericCodes: Int32Array;
  private readonly messageCodes: Int32Array;
  /** Per code: raised by the hub itself (its EUI is the originator). */
  private readonly chfRaised: Uint8Array;
  private readonly userIds: string[];
  private readonly eventLabels: Array<string | undefined>;
  private readonly routing: RoutingTable;
  private readonly opened: Array<{ path: string; w: FeedWriter }> = [];

  constructor(
    private readonly sink: FeedSink,
    scenario: Scenario,
    private readonly estate: Estate,
    private readonly net: Network,
  ) {
    this.routing = routingTable();
    this.epoch = scenario.epoch;
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
      ? this.userIds.map((id) => open(`feeds/duis/${id}.ndxml`, 'ndxml'))
      : this.userIds.map(() => null);
    this.gbcs = new GbcsAlertBuilder({ sign: scenario.output.signPayloads });
    this.codes = feedAlertCodes();
    this.numericCodes = Int32Array.from(ALERT_CATALOGUE.map((a) => a.alertCode ?? 0));
    this.chfRaised = Uint8Array.from(raiserDeviceType(), (t) => (t === CHF_RAISER ? 1 : 0));
    this.messageCodes = Int32Array.from(ALERT_CATALOGUE.map((a) => a.messageCode ?? 0));
    this.eventLabels = [undefined, ...scenario.events.map((e, i) => e.label ?? `${e.type}#${i + 1}`)];
  }

  /** The journey's table (set once the journey exists). */
  attach(table: AlertTable): void {
    this.table = table;
  }

  /**
   * Low half of the recipient system title the device aimed the alert at:
   * its network operator or supplier, or the DSP's ACB (TO_DSP).
   */
  private recipientLow(row: number): number {
    const T = this.table;
    const hub = T.hub[row];
    const receiver = this.routing.receiver[T.origin[row]];
    if (receiver === TO_DSP) return ACB_EUI_LOW;
    const user = receiver === TO_NETWORK_OPERATOR ? this.net.operatorOfArea[this.estate.hubArea[hub]] : this.net.supplierUsers[this.estate.hubSupplier[hub]];
    return USER_EUI_LOW_BASE + user;
  }

  private ts(t: number): string | undefined {
    return t === t ? formatTimestamp(this.epoch + t) : undefined;
  }

  private payload(row: number): string {
    let p = this.payloads[row];
    if (p === undefined) {
      const T = this.table;
      const device = T.device[row];
      const origin = T.origin[row];
      const chf = this.chfRaised[origin] === 1;
      p = this.gbcs.base64(
        this.numericCodes[origin],
        this.messageCodes[origin],
        // The device's originator counter: unique per message in the run.
        T.source[row] >= 0 ? T.source[row] : T.serial[row],
        chf ? hubEuiHigh(T.hub[row]) : deviceEuiHigh(device),
        chf ? hubEuiLow(T.hub[row]) : deviceEuiLow(device),
        USER_EUI_HIGH,
        this.recipientLow(row),
        this.epoch + T.tCondition[row],
        this.epoch + T.outageStart[row],
        this.epoch + T.outageEnd[row],
      );
      this.payloads[row] = p;
    }
    return p as string;
  }

  private deviceEui(row: number): string {
    const T = this.table;
    return this.chfRaised[T.origin[row]] === 1 ? euiOfHub(T.hub[row]) : euiOfDevice(T.device[row]);
  }

  cspNorth(row: number): void {
    const T = this.table;
    this.rni.write(
      serializeCspNorthRni({
        responseId: sourceId(T.source[row]),
        commsHubId: this.estate.hubRepId[T.hub[row]],
        payload: this.payload(row),
        timestamp: this.ts(T.tCspDeparture[row])!,
        HubTimestamp: this.ts(T.tHubStamp[row]),
      }),
    );
  }

  cspForward(row: number): void {
    const T = this.table;
    this.forward.write(
      serializeCspForward({
        messageId: sourceId(T.source[row]),
        csp: T.region[row] === 1 ? 'Central' : 'South',
        commsHubId: euiOfHub(T.hub[row]),
        payload: this.payload(row),
        HubTimestamp: this.ts(T.tHubStamp[row]),
        cspReceivedTimestamp: this.ts(T.tCspArrival[row])!,
        cspSentTimestamp: this.ts(T.tCspDeparture[row])!,
      }),
    );
  }

  s1spAudit(row: number): void {
    const T = this.table;
    this.audit.write(
      serializeS1spAuditTrail({
        auditId: sourceId(T.source[row]),
        s1sp: `S1SP-${this.estate.hubS1sp[T.hub[row]] + 1}`,
        deviceId: this.deviceEui(row),
        alertCode: this.codes[T.code[row]],
        T1: this.ts(T.tCondition[row])!,
        T2: this.ts(T.tCspArrival[row])!,
        T4: this.ts(T.tCspDeparture[row]),
        T5: this.ts(T.tDspReceived[row]),
      }),
    );
  }

  delivery(row: number, sent: number, received: number, handshake: number): void {
    const T = this.table;
    const id = alertId(T.serial[row]);
    const attempt = T.attempts[row];
    this.deliveries.write(
      serializeSuDelivery({
        deliveryId: `${id}-${attempt}`,
        alertId: id,
        userId: this.userIds[T.user[row]],
        attempt,
        alertCode: this.codes[T.code[row]],
        sentTimestamp: this.ts(sent)!,
        receivedTimestamp: this.ts(received),
        handshakeTimestamp: this.ts(handshake),
        outcome: handshake === handshake ? 'acknowledged' : received === received ? 'noHandshake' : 'gatewayDown',
      }),
    );
  }

  duis(row: number, received: number): void {
    const T = this.table;
    const user = T.user[row];
    const w = this.duisWriters[user];
    if (w === null) return;
    const throttled = T.throttled[row] === 1;
    const seq = throttled ? T.throttledSeq[row] : undefined;
    const count = throttled ? T.throttledCount[row] : undefined;
    const recipientLo = USER_EUI_LOW_BASE + user;
    const origin = T.origin[row];
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
          responseDateTime: this.epoch + received,
          gbcsPayload: this.payload(row),
          throttledAlertSequenceId: seq,
          throttledAlertCount: count,
        }),
      );
      return;
    }
    const code = this.codes[T.code[row]];
    const hub = T.hub[row];
    // The device a DCC Alert is about: the Comms Hub for AD1 and hub alerts, else the raising device.
    const aboutHub = code === 'AD1' || this.chfRaised[origin] === 1;
    const device = T.device[row];
    w.write(
      dccAlertXml({
        dccAlertCode: code,
        originatorEuiHi: USER_EUI_HIGH,
        originatorEuiLo: ACB_EUI_LOW,
        recipientEuiHi: USER_EUI_HIGH,
        recipientEuiLo: recipientLo,
        counter: T.serial[row],
        responseDateTime: this.epoch + received,
        throttledAlertSequenceId: seq,
        throttledAlertCount: count,
        deviceEuiHi: aboutHub ? hubEuiHigh(hub) : deviceEuiHigh(device),
        deviceEuiLo: aboutHub ? hubEuiLow(hub) : deviceEuiLow(device),
        eventTime: this.epoch + (T.outageStart[row] === T.outageStart[row] ? T.outageStart[row] : T.tCondition[row]),
        mpxn: mpanOf(this.estate.hubArea[hub], hub),
        deviceAlertCode: code === 'AD1' ? undefined : this.numericCodes[origin],
        messageCode: code === 'AD1' ? undefined : this.messageCodes[origin],
        requestCounter: T.serial[row],
      }),
    );
  }

  finish(row: number, outcome: number): void {
    const T = this.table;
    this.payloads[row] = undefined;
    if (outcome === OUTCOME_LOST) return; // never reached the DSP: no DSP record
    const out = OUTCOME_NAMES[outcome] as DspOutcome;
    const region = REGION_LABELS[T.region[row]];
    const code = this.codes[T.code[row]];
    const user = T.user[row] >= 0 ? this.userIds[T.user[row]] : 'DSP';
    const id = alertId(T.serial[row]);
    const isS1 = T.region[row] === SMETS1;
    const throttled = T.throttled[row] === 1;
    // What the DSP can report: CSP North's HubTimestamp stands for the CHF
    // receipt and its departure stamp for the CSP receipt (seed 001, 4.2).
    const north = T.region[row] === 0 && T.dcc[row] === 0;
    const chf = isS1 ? T.tCondition[row] : T.tHubStamp[row];
    const cspReceived = north ? T.tCspDeparture[row] : T.tCspArrival[row];
    const handshake = outcome === OUTCOME_DELIVERED ? T.tHandshake[row] : NaN;
    this.ast.write(
      serializeDspAst({
        alertId: id,
        sourceId: T.source[row] >= 0 ? sourceId(T.source[row]) : undefined,
        alertType: T.dcc[row] === 1 ? 'DCCAlert' : 'DeviceAlert',
        alertCode: code,
        region,
        deviceId: T.dcc[row] === 1 && this.codes[T.code[row]] === 'AD1' ? euiOfHub(T.hub[row]) : this.deviceEui(row),
        targetUser: user,
        chfReceivedTimestamp: this.ts(isS1 ? NaN : chf),
        cspReceivedTimestamp: this.ts(cspReceived),
        cspPassedTimestamp: this.ts(isS1 ? T.tDspReceived[row] : T.tCspDeparture[row]),
        dspReceivedTimestamp: this.ts(T.tDspReceived[row])!,
        passedToServiceUserTimestamp: this.ts(T.tPassed[row]),
        serviceUserHandshakeTimestamp: this.ts(handshake),
        deliveryAttempts: T.attempts[row],
        outcome: out,
        throttled,
        throttledAlertSequenceId: throttled ? T.throttledSeq[row] : undefined,
        throttledAlertCount: throttled ? T.throttledCount[row] : undefined,
      }),
    );
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
    );
    if (this.truth) {
      this.truth.write(
        serializeGroundTruth({
          alertId: id,
          alertCode: code,
          region,
          targetUser: user,
          trueConditionTimestamp: this.ts(T.tCondition[row]),
          trueChfReceivedTimestamp: this.ts(T.tChf[row]),
          trueWanSentTimestamp: this.ts(T.tWanSent[row]),
          trueCspArrivalTimestamp: this.ts(T.tCspArrival[row]),
          trueCspDepartureTimestamp: this.ts(T.tCspDeparture[row]),
          trueDspReceivedTimestamp: this.ts(T.tDspReceived[row])!,
          truePassedToServiceUserTimestamp: this.ts(T.tPassed[row]),
          trueHandshakeTimestamp: this.ts(handshake),
          outcome: out,
          event: this.eventLabels[T.cause[row]],
        }),
      );
    }
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

function sourceId(serial: number): string {
  return `M${String(serial).padStart(12, '0')}`;
}

function alertId(serial: number): string {
  return `A${String(serial).padStart(12, '0')}`;
}

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/**
 * The premises' 13-digit MPAN core: distributor id (2 digits), a 10-digit
 * unique number (here the hub index), and the standard check digit (digits
 * times the prime weights, summed, mod 11, mod 10).
 */
export function mpanOf(area: number, hub: number): string {
  const body = `${String(area).padStart(2, '0')}${String(hub).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body.charCodeAt(i) - 48) * MPAN_WEIGHTS[i];
  return body + String((sum % 11) % 10);
}
