/**
 * From request rows to records: the DSP service audit trail (what the DSP
 * observes), CSP North's sendMessage record of each SMETS2 North response
 * (seed 001 section 4.2 covers Service Responses as well as alerts), the
 * S1SP's audit record of each SMETS1 response (CR1438's points), the DUIS
 * Service Response each User receives, and the request truth (every hop as
 * it happened). Times become feed timestamps here and nowhere upstream.
 * Lives with the request flow because it reads the request table's layout;
 * every line it writes comes from a feed module's serialiser. The feeds
 * alerts also write (csp-north-rni, the S1SP audit trail, DUIS) come as
 * writers the alert recorder opened (SharedFeedWriters).
 *
 * CSP Central and South write no record of a response: csp-forward.jsonl is
 * CR1418 requirement [A]'s throughput of Alerts (seed 000), and seed 000
 * asks nothing of them for Service Responses.
 */
import { deviceEui, deviceEuiHigh, deviceEuiLow, hubEui, hubEuiHigh, hubEuiLow } from '../../estate/index.js';
import { DEVICE_TYPES } from '../../estate/estate.js';
import type { Network } from '../../network/index.js';
import { NORTH, REGION_LABELS, SMETS1 } from '../../dcc/regions.js';
import { ACB_EUI_LOW, USER_EUI_HIGH, USER_EUI_LOW_BASE, s1spId, type RunIds } from '../../dcc/ids.js';
import { duisId } from '../../dcc/duis.js';
import { GbcsResponseBuilder } from '../../dcc/gbcs-response.js';
import type { SharedFeedWriters } from '../alerts/recorder.js';
import { BUSINESS_PROCESSES, RC_SUCCESS, RESPONSE_CODES, SRV_CATALOGUE, SRV_TIMINGS } from '../../dcc/srvs.js';
import {
  DSP_SERVICE_AUDIT_PATH,
  REQUEST_TRUTH_PATH,
  writeRecord,
  spellCspNorthRni,
  spellDspServiceAudit,
  spellRequestTruth,
  spellS1spAuditTrail,
  serviceResponseXml,
  type AuditDeviceType,
  type ExclusionReason,
  type FeedSink,
  type FeedWriter,
  type SerialId,
} from '../../feeds/index.js';
import type { Scenario } from '../../scenario/types.js';
import { FAILURE_ALERT_NONE, type RequestRecorder } from './journey.js';
import { TIMING_ON_DEMAND, s1spOfProvider, type RequestTable } from './table.js';

/** By FAILURE_ALERT_*. */
const FAILURE_ALERT_CODES = [undefined, 'N12', 'N13'] as const;

/** A response of a request in `region` has a CSP North sendMessage record (providerResponse writes one). */
export const northRecord = (region: number): boolean => region === NORTH;
/** ... and an S1SP audit record (dspResponse writes one), `source` its serial. */
export const s1spRecord = (region: number, source: number): boolean => region === SMETS1 && source >= 0;

/** What the recorder reads of the journey: its table (or a replica of it) and each request's Target Response Time. */
export interface RequestRows {
  readonly table: RequestTable;
  trtOf(row: number): number;
}

export class RequestFeedRecorder implements RequestRecorder {
  private journey!: RequestRows;
  private readonly audit: FeedWriter;
  private readonly truth: FeedWriter | null;
  private readonly epoch: number;
  private readonly userIds: string[];
  private readonly gbcs = new GbcsResponseBuilder();
  readonly opened: Array<{ path: string; w: FeedWriter }> = [];

  constructor(
    sink: FeedSink,
    scenario: Scenario,
    private readonly ids: RunIds,
    private readonly net: Network,
    private readonly shared: SharedFeedWriters,
  ) {
    this.epoch = scenario.epoch;
    this.userIds = scenario.serviceUsers.map((u) => u.id);
    this.audit = sink.open(DSP_SERVICE_AUDIT_PATH, 'jsonl');
    this.opened.push({ path: DSP_SERVICE_AUDIT_PATH, w: this.audit });
    this.truth = scenario.output.groundTruth ? sink.open(REQUEST_TRUTH_PATH, 'jsonl') : null;
    if (this.truth) this.opened.push({ path: REQUEST_TRUTH_PATH, w: this.truth });
  }

  attach(journey: RequestRows): void {
    this.journey = journey;
  }

  /** A journey time (NaN: none) as Unix ms for the spellers, which write it as digits; undefined when there is none. */
  private ts(t: number): number | undefined {
    return t === t ? this.epoch + t : undefined;
  }

  /** EUI-64 halves of the request's target: the device, or the hub for requests to the CHF or the DSP. */
  private targetHi(row: number): number {
    const T = this.journey.table;
    return T.device[row] >= 0 ? deviceEuiHigh(T.device[row]) : hubEuiHigh(T.hub[row]);
  }

  private targetLo(row: number): number {
    const T = this.journey.table;
    return T.device[row] >= 0 ? deviceEuiLow(T.device[row]) : hubEuiLow(T.hub[row]);
  }

  /** The hub's or device's GBCS response to the request in `row`, Base64: the command's counter echoed, to its User. */
  private payload(row: number): string {
    const T = this.journey.table;
    return this.gbcs.base64({
      counter: T.serial[row],
      deviceEuiHi: this.targetHi(row),
      deviceEuiLo: this.targetLo(row),
      recipientEuiHi: USER_EUI_HIGH,
      recipientEuiLo: USER_EUI_LOW_BASE + T.user[row],
    });
  }

  /**
   * The DUIS Service Response the User's gateway received. RequestID: User,
   * target, the request's counter; ResponseID: the responding device, or the
   * DSP's ACB when no device answered (DSP-only SRVs, failures); the GBCS
   * response when a SMETS2 device's came back.
   */
  private duis(row: number): void {
    const T = this.journey.table;
    const user = T.user[row];
    const w = this.shared.duis[user];
    if (w === null || T.tUserReceived[row] !== T.tUserReceived[row]) return;
    const userLo = USER_EUI_LOW_BASE + user;
    const fromDevice = T.source[row] >= 0;
    const serial = T.serial[row];
    w.write(
      serviceResponseXml({
        srv: SRV_CATALOGUE[T.srv[row]].srv,
        responseCode: RESPONSE_CODES[T.code[row]].duis,
        requestId: duisId(USER_EUI_HIGH, userLo, this.targetHi(row), this.targetLo(row), serial),
        responseId: fromDevice
          ? duisId(this.targetHi(row), this.targetLo(row), USER_EUI_HIGH, userLo, serial)
          : duisId(USER_EUI_HIGH, ACB_EUI_LOW, USER_EUI_HIGH, userLo, serial),
        responseDateTime: this.epoch + T.tResponseSent[row],
        gbcsPayload: fromDevice && T.region[row] !== SMETS1 ? this.payload(row) : undefined,
      }),
    );
  }

  providerResponse(row: number): void {
    const T = this.journey.table;
    if (!northRecord(T.region[row])) return;
    writeRecord(this.shared.rni, spellCspNorthRni, {
      responseId: this.ids.serviceResponseRef(T.source[row]),
      commsHubId: T.repId[row],
      payload: this.payload(row),
      timestamp: this.ts(T.tProviderResponseSent[row])!,
      // The SDK stamps the response's WAN send as it stamps an alert's, on its own clock.
      HubTimestamp: this.ts(T.tHubResponseSent[row] + T.hubClockOffset[row]),
    });
  }

  /**
   * A SMETS1 response's audit record, complete at T5 (the DSP's receipt; absent
   * when the DSP dropped it), as an alert's is (docs/feeds.md).
   */
  dspResponse(row: number): void {
    const T = this.journey.table;
    if (!s1spRecord(T.region[row], T.source[row])) return;
    const responded = T.tDeviceResponded[row];
    writeRecord(this.shared.s1spAudit, spellS1spAuditTrail, {
      auditId: this.ids.serviceResponseRef(T.source[row]),
      s1sp: s1spId(s1spOfProvider(T.provider[row], this.net.csps.length)),
      deviceId: T.device[row] >= 0 ? deviceEui(T.device[row]) : hubEui(T.hub[row]),
      srv: SRV_CATALOGUE[T.srv[row]].srv,
      // T1: the device sends its response (a request to the CHF: the hub does).
      T1: this.ts(responded === responded ? responded : T.tHubResponseSent[row])!,
      T2: this.ts(T.tProviderResponse[row])!,
      T4: this.ts(T.tProviderResponseSent[row]),
      T5: this.ts(T.tDspResponse[row]),
    });
  }

  /** What the DSP's inventory says the target is: the hub's CHF, or the device's type (never an IHD: no SRV targets one). */
  private deviceType(row: number): AuditDeviceType {
    const type = this.journey.table.deviceType[row];
    return type >= 0 ? (DEVICE_TYPES[type] as AuditDeviceType) : 'CHF';
  }

  /** Why a failure is excluded: a valid failure (E1, E3) first, else the User did not wait for the previous step. */
  private exclusionReason(row: number): ExclusionReason | undefined {
    const T = this.journey.table;
    if (RESPONSE_CODES[T.code[row]].excludable) return 'validFailure';
    return T.notWaited[row] === 1 && T.code[row] !== RC_SUCCESS ? 'notWaited' : undefined;
  }

  answered(row: number): void {
    const T = this.journey.table;
    const code = RESPONSE_CODES[T.code[row]];
    const srv = SRV_CATALOGUE[T.srv[row]].srv;
    const timing = SRV_TIMINGS[T.timing[row]];
    const user = this.userIds[T.user[row]];
    const region = REGION_LABELS[T.region[row]];
    const trt = this.journey.trtOf(row);
    const device = T.device[row];
    const exclusionReason = this.exclusionReason(row);
    const outcome = T.code[row] === RC_SUCCESS ? 'success' : 'failure';
    // The ids and figures both records carry, made once.
    const requestId = this.ids.requestRef(T.serial[row]);
    const processId = this.ids.processRef(T.processSerial[row]);
    writeRecord(this.audit, spellDspServiceAudit, {
      requestId,
      srv,
      timing,
      serviceUser: user,
      region,
      deviceId: device >= 0 ? deviceEui(device) : hubEui(T.hub[row]),
      deviceType: this.deviceType(row),
      businessProcess: BUSINESS_PROCESSES[T.process[row]],
      processId,
      step: T.step[row],
      userAttempt: T.userAttempt[row],
      targetResponseTimeMs: trt,
      receivedFromUserTimestamp: this.ts(T.tDspReceived[row]),
      executionTimestamp: T.timing[row] === TIMING_ON_DEMAND ? undefined : this.ts(T.tClock[row]),
      sentToProviderTimestamp: this.ts(T.tSentToProvider[row]),
      lastSentToProviderTimestamp: T.attempts[row] > 1 ? this.ts(T.tLastSentToProvider[row]) : undefined,
      responseReceivedTimestamp: this.ts(T.tDspResponse[row]),
      responseSentTimestamp: this.ts(T.tResponseSent[row])!,
      outcome,
      responseCode: code.code,
      retries: Math.max(0, T.attempts[row] - 1),
      excludable: exclusionReason !== undefined,
      exclusionReason,
    });
    this.duis(row);
    this.writeTruth(row, outcome, requestId, processId, trt, exclusionReason);
  }

  lost(row: number): void {
    // A lost request has only its truth record: nothing to make without one.
    if (!this.truth) return;
    const T = this.journey.table;
    this.writeTruth(row, 'lost', this.ids.requestRef(T.serial[row]), this.ids.processRef(T.processSerial[row]), this.journey.trtOf(row), undefined);
  }

  private writeTruth(row: number, outcome: 'success' | 'failure' | 'lost', requestId: SerialId, processId: SerialId, trt: number, reason: ExclusionReason | undefined): void {
    if (!this.truth) return;
    const T = this.journey.table;
    const code = RESPONSE_CODES[T.code[row]];
    writeRecord(this.truth, spellRequestTruth, {
      requestId,
      srv: SRV_CATALOGUE[T.srv[row]].srv,
      timing: SRV_TIMINGS[T.timing[row]],
      serviceUser: this.userIds[T.user[row]],
      region: REGION_LABELS[T.region[row]],
      businessProcess: BUSINESS_PROCESSES[T.process[row]],
      processId,
      step: T.step[row],
      userAttempt: T.userAttempt[row],
      targetResponseTimeMs: trt,
      trueSentByUserTimestamp: this.ts(T.tSent[row]),
      trueDspReceivedTimestamp: this.ts(T.tDspReceived[row]),
      trueClockStartTimestamp: this.ts(T.tClock[row]),
      trueExecutionTimestamp: this.ts(T.tExecute[row]),
      trueSentToProviderTimestamp: this.ts(T.tSentToProvider[row]),
      trueProviderReceivedTimestamp: this.ts(T.tProviderReceived[row]),
      trueHubReceivedTimestamp: this.ts(T.tHubReceived[row]),
      trueDeviceReceivedTimestamp: this.ts(T.tDeviceReceived[row]),
      trueDeviceRespondedTimestamp: this.ts(T.tDeviceResponded[row]),
      trueHubResponseSentTimestamp: this.ts(T.tHubResponseSent[row]),
      trueProviderResponseTimestamp: this.ts(T.tProviderResponse[row]),
      trueProviderResponseSentTimestamp: this.ts(T.tProviderResponseSent[row]),
      trueDspResponseTimestamp: this.ts(T.tDspResponse[row]),
      trueResponseSentTimestamp: this.ts(T.tResponseSent[row]),
      trueUserReceivedTimestamp: this.ts(T.tUserReceived[row]),
      trueHubClockOffsetMs: T.region[row] === SMETS1 ? undefined : T.hubClockOffset[row],
      providerRecordId: T.source[row] < 0 ? undefined : this.ids.serviceResponseRef(T.source[row]),
      failureAlertCode: FAILURE_ALERT_CODES[T.failureAlert[row]],
      failureAlertId: T.failureAlert[row] === FAILURE_ALERT_NONE ? undefined : this.ids.alertRef(T.failureAlertSerial[row]),
      outcome,
      responseCode: outcome === 'lost' ? undefined : code.code,
      attempts: T.attempts[row],
      gbtBlocks: T.gbtBlocks[row],
      gbtPackets: T.gbtPackets[row],
      excludable: reason !== undefined,
      exclusionReason: reason,
    });
  }
}
