/**
 * request-truth.jsonl: the simulator's knowledge of every hop of every
 * Service Request (same requestId as dsp-service-audit.jsonl), for comparing
 * reported figures with true ones. Not a feed: it lives beside feeds/, as
 * ground-truth.jsonl does for alerts. A point the request never reached is
 * left out; a request lost before the DSP saw it has outcome "lost" and no
 * audit record.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { BUSINESS_PROCESSES, RESPONSE_CODES, SRV_NUMBERS, SRV_TIMINGS, type BusinessProcess, type ResponseCode, type SrvTiming } from '../dcc/srvs.js';
import { EXCLUSION_REASONS, type ExclusionReason } from './dsp-service-audit.js';
import { SCHEMA_DIALECT, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const REQUEST_TRUTH_PATH = 'request-truth.jsonl';

export const REQUEST_TRUTH_OUTCOMES = ['success', 'failure', 'lost'] as const;
export type RequestTruthOutcome = (typeof REQUEST_TRUTH_OUTCOMES)[number];

export interface RequestTruthRecord {
  requestId: string;
  srv: string;
  timing: SrvTiming;
  serviceUser: string;
  region: RegionLabel;
  /** The process instance, as in dsp-service-audit.jsonl. */
  businessProcess: BusinessProcess;
  processId: string;
  step: number;
  userAttempt: number;
  targetResponseTimeMs: number;
  trueSentByUserTimestamp?: string;
  trueDspReceivedTimestamp?: string;
  /** Start of the RTT clock: DSP receipt, or the execution time of a future-dated or scheduled request. */
  trueClockStartTimestamp?: string;
  trueExecutionTimestamp?: string;
  trueSentToProviderTimestamp?: string;
  trueProviderReceivedTimestamp?: string;
  trueHubReceivedTimestamp?: string;
  trueDeviceReceivedTimestamp?: string;
  trueDeviceRespondedTimestamp?: string;
  /** The hub sends the response over the SMWAN (a GBT read: its first packet). */
  trueHubResponseSentTimestamp?: string;
  trueProviderResponseTimestamp?: string;
  /** The CSP / S1SP passes the response to the DSP (CSP North's `timestamp`). */
  trueProviderResponseSentTimestamp?: string;
  trueDspResponseTimestamp?: string;
  trueResponseSentTimestamp?: string;
  trueUserReceivedTimestamp?: string;
  /** The hub's SDK clock offset (a HubTimestamp is the true WAN send plus this); absent for SMETS1. */
  trueHubClockOffsetMs?: number;
  /** The provider's record of the response: CSP North's responseId, the S1SP's auditId. */
  providerRecordId?: string;
  /** The DCC Alert (N12, N13) the DSP raised after the request failed, and its alertId. */
  failureAlertCode?: 'N12' | 'N13';
  failureAlertId?: string;
  outcome: RequestTruthOutcome;
  responseCode?: ResponseCode;
  attempts: number;
  gbtBlocks: number;
  gbtPackets: number;
  excludable: boolean;
  /** Present exactly when excludable, as in dsp-service-audit.jsonl. */
  exclusionReason?: ExclusionReason;
}

/** The true timing points, in the order a request passes them. */
export const REQUEST_TRUTH_TIME_FIELDS = [
  'trueSentByUserTimestamp',
  'trueDspReceivedTimestamp',
  'trueClockStartTimestamp',
  'trueExecutionTimestamp',
  'trueSentToProviderTimestamp',
  'trueProviderReceivedTimestamp',
  'trueHubReceivedTimestamp',
  'trueDeviceReceivedTimestamp',
  'trueDeviceRespondedTimestamp',
  'trueHubResponseSentTimestamp',
  'trueProviderResponseTimestamp',
  'trueProviderResponseSentTimestamp',
  'trueDspResponseTimestamp',
  'trueResponseSentTimestamp',
  'trueUserReceivedTimestamp',
] as const;

export const requestTruthSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/request-truth.json',
  title: 'Ground-truth journey of one Service Request',
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'srv', 'timing', 'serviceUser', 'region', 'businessProcess', 'processId', 'step', 'userAttempt', 'targetResponseTimeMs', 'outcome', 'attempts', 'gbtBlocks', 'gbtPackets', 'excludable'],
  properties: {
    requestId: idSchema,
    srv: { enum: SRV_NUMBERS },
    timing: { enum: SRV_TIMINGS },
    serviceUser: idSchema,
    region: { enum: REGION_LABELS },
    businessProcess: { enum: BUSINESS_PROCESSES },
    processId: idSchema,
    step: { type: 'integer', minimum: 1 },
    userAttempt: { type: 'integer', minimum: 1 },
    targetResponseTimeMs: { type: 'integer', minimum: 1 },
    ...Object.fromEntries(REQUEST_TRUTH_TIME_FIELDS.map((f) => [f, timestampSchema])),
    trueHubClockOffsetMs: { type: 'integer' },
    providerRecordId: idSchema,
    failureAlertCode: { enum: ['N12', 'N13'] },
    failureAlertId: idSchema,
    outcome: { enum: REQUEST_TRUTH_OUTCOMES },
    responseCode: { enum: RESPONSE_CODES.map((c) => c.code) },
    attempts: { type: 'integer', minimum: 0 },
    gbtBlocks: { type: 'integer', minimum: 0 },
    gbtPackets: { type: 'integer', minimum: 0 },
    excludable: { type: 'boolean' },
    exclusionReason: { enum: EXCLUSION_REASONS },
  },
};


/** One JSONL line. serviceUser comes from the scenario file and is escaped. */
export function serializeRequestTruth(r: RequestTruthRecord): string {
  let s = `{"requestId":"${r.requestId}","srv":"${r.srv}","timing":"${r.timing}","serviceUser":${JSON.stringify(r.serviceUser)},"region":"${r.region}","businessProcess":"${r.businessProcess}","processId":"${r.processId}","step":${r.step},"userAttempt":${r.userAttempt},"targetResponseTimeMs":${r.targetResponseTimeMs}`;
  for (const f of REQUEST_TRUTH_TIME_FIELDS) if (r[f] !== undefined) s += `,"${f}":"${r[f]}"`;
  if (r.trueHubClockOffsetMs !== undefined) s += `,"trueHubClockOffsetMs":${r.trueHubClockOffsetMs}`;
  if (r.providerRecordId !== undefined) s += `,"providerRecordId":"${r.providerRecordId}"`;
  if (r.failureAlertCode !== undefined) s += `,"failureAlertCode":"${r.failureAlertCode}","failureAlertId":"${r.failureAlertId}"`;
  s += `,"outcome":"${r.outcome}"`;
  if (r.responseCode !== undefined) s += `,"responseCode":"${r.responseCode}"`;
  s += `,"attempts":${r.attempts},"gbtBlocks":${r.gbtBlocks},"gbtPackets":${r.gbtPackets},"excludable":${r.excludable}`;
  return r.exclusionReason === undefined ? s + '}' : s + `,"exclusionReason":"${r.exclusionReason}"}`;
}
