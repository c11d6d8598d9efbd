/**
 * From request rows to records: the DSP service audit trail (what the DSP
 * observes) and the request truth (every hop as it happened). Times become
 * feed timestamps here and nowhere upstream. Lives with the request flow
 * because it reads the request table's layout; every line it writes comes
 * from a feed module's serialiser.
 */
import { euiOfDevice, euiOfHub } from '../../estate/index.js';
import { REGION_LABELS } from '../../dcc/regions.js';
import type { RunIds } from '../../dcc/ids.js';
import { RC_SUCCESS, RESPONSE_CODES, SRV_CATALOGUE, SRV_TIMINGS } from '../../dcc/srvs.js';
import {
  DSP_SERVICE_AUDIT_PATH,
  REQUEST_TRUTH_PATH,
  formatTimestamp,
  serializeDspServiceAudit,
  serializeRequestTruth,
  type FeedSink,
  type FeedWriter,
} from '../../feeds/index.js';
import type { Scenario } from '../../scenario/types.js';
import type { RequestJourney, RequestRecorder } from './journey.js';
import { TIMING_ON_DEMAND } from './table.js';

export class RequestFeedRecorder implements RequestRecorder {
  private journey!: RequestJourney;
  private readonly audit: FeedWriter;
  private readonly truth: FeedWriter | null;
  private readonly epoch: number;
  private readonly userIds: string[];
  readonly opened: Array<{ path: string; w: FeedWriter }> = [];

  constructor(sink: FeedSink, scenario: Scenario, private readonly ids: RunIds) {
    this.epoch = scenario.epoch;
    this.userIds = scenario.serviceUsers.map((u) => u.id);
    this.audit = sink.open(DSP_SERVICE_AUDIT_PATH, 'jsonl');
    this.opened.push({ path: DSP_SERVICE_AUDIT_PATH, w: this.audit });
    this.truth = scenario.output.groundTruth ? sink.open(REQUEST_TRUTH_PATH, 'jsonl') : null;
    if (this.truth) this.opened.push({ path: REQUEST_TRUTH_PATH, w: this.truth });
  }

  attach(journey: RequestJourney): void {
    this.journey = journey;
  }

  private ts(t: number): string | undefined {
    return t === t ? formatTimestamp(this.epoch + t) : undefined;
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
    this.audit.write(
      serializeDspServiceAudit({
        requestId: this.ids.requestId(T.serial[row]),
        srv,
        timing,
        serviceUser: user,
        region,
        deviceId: device >= 0 ? euiOfDevice(device) : euiOfHub(T.hub[row]),
        targetResponseTimeMs: trt,
        receivedFromUserTimestamp: this.ts(T.tDspReceived[row]),
        executionTimestamp: T.timing[row] === TIMING_ON_DEMAND ? undefined : this.ts(T.tClock[row]),
        sentToProviderTimestamp: this.ts(T.tSentToProvider[row]),
        lastSentToProviderTimestamp: T.attempts[row] > 1 ? this.ts(T.tLastSentToProvider[row]) : undefined,
        responseReceivedTimestamp: this.ts(T.tDspResponse[row]),
        responseSentTimestamp: this.ts(T.tResponseSent[row])!,
        outcome: T.code[row] === RC_SUCCESS ? 'success' : 'failure',
        responseCode: code.code,
        retries: Math.max(0, T.attempts[row] - 1),
        excludable: code.excludable,
      }),
    );
    this.writeTruth(row, T.code[row] === RC_SUCCESS ? 'success' : 'failure');
  }

  lost(row: number): void {
    this.writeTruth(row, 'lost');
  }

  private writeTruth(row: number, outcome: 'success' | 'failure' | 'lost'): void {
    if (!this.truth) return;
    const T = this.journey.table;
    const code = RESPONSE_CODES[T.code[row]];
    this.truth.write(
      serializeRequestTruth({
        requestId: this.ids.requestId(T.serial[row]),
        srv: SRV_CATALOGUE[T.srv[row]].srv,
        timing: SRV_TIMINGS[T.timing[row]],
        serviceUser: this.userIds[T.user[row]],
        region: REGION_LABELS[T.region[row]],
        targetResponseTimeMs: this.journey.trtOf(row),
        trueSentByUserTimestamp: this.ts(T.tSent[row]),
        trueDspReceivedTimestamp: this.ts(T.tDspReceived[row]),
        trueClockStartTimestamp: this.ts(T.tClock[row]),
        trueExecutionTimestamp: this.ts(T.tExecute[row]),
        trueSentToProviderTimestamp: this.ts(T.tSentToProvider[row]),
        trueProviderReceivedTimestamp: this.ts(T.tProviderReceived[row]),
        trueHubReceivedTimestamp: this.ts(T.tHubReceived[row]),
        trueDeviceReceivedTimestamp: this.ts(T.tDeviceReceived[row]),
        trueDeviceRespondedTimestamp: this.ts(T.tDeviceResponded[row]),
        trueProviderResponseTimestamp: this.ts(T.tProviderResponse[row]),
        trueDspResponseTimestamp: this.ts(T.tDspResponse[row]),
        trueResponseSentTimestamp: this.ts(T.tResponseSent[row]),
        trueUserReceivedTimestamp: this.ts(T.tUserReceived[row]),
        outcome,
        responseCode: outcome === 'lost' ? undefined : code.code,
        attempts: T.attempts[row],
        gbtBlocks: T.gbtBlocks[row],
        gbtPackets: T.gbtPackets[row],
        excludable: outcome !== 'lost' && code.excludable,
      }),
    );
  }
}
