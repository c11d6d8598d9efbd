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
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const REQUEST_TRUTH_PATH = 'request-truth.jsonl';

export const REQUEST_TRUTH_OUTCOMES = ['success', 'failure', 'lost'] as const;
export type RequestTruthOutcome = (typeof REQUEST_TRUTH_OUTCOMES)[number];

/** A record as read back (every field spelled); the recorders give `RequestTruthRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface RequestTruthRecord<V extends ToSpell = AsRead> {
  requestId: V['text'];
  srv: string;
  timing: SrvTiming;
  serviceUser: string;
  region: RegionLabel;
  /** The process instance, as in dsp-service-audit.jsonl. */
  businessProcess: BusinessProcess;
  processId: V['text'];
  step: number;
  userAttempt: number;
  targetResponseTimeMs: number;
  trueSentByUserTimestamp?: V['time'];
  trueDspReceivedTimestamp?: V['time'];
  /** Start of the RTT clock: DSP receipt, or the execution time of a future-dated or scheduled request. */
  trueClockStartTimestamp?: V['time'];
  trueExecutionTimestamp?: V['time'];
  trueSentToProviderTimestamp?: V['time'];
  trueProviderReceivedTimestamp?: V['time'];
  trueHubReceivedTimestamp?: V['time'];
  trueDeviceReceivedTimestamp?: V['time'];
  trueDeviceRespondedTimestamp?: V['time'];
  /** The hub sends the response over the SMWAN (a GBT read: its first packet). */
  trueHubResponseSentTimestamp?: V['time'];
  trueProviderResponseTimestamp?: V['time'];
  /** The CSP / S1SP passes the response to the DSP (CSP North's `timestamp`). */
  trueProviderResponseSentTimestamp?: V['time'];
  trueDspResponseTimestamp?: V['time'];
  trueResponseSentTimestamp?: V['time'];
  trueUserReceivedTimestamp?: V['time'];
  /** The hub's SDK clock offset (a HubTimestamp is the true WAN send plus this); absent for SMETS1. */
  trueHubClockOffsetMs?: number;
  /** The provider's record of the response: CSP North's responseId, the S1SP's auditId. */
  providerRecordId?: V['text'];
  /** The DCC Alert (N12, N13) the DSP raised after the request failed, and its alertId. */
  failureAlertCode?: 'N12' | 'N13';
  failureAlertId?: V['text'];
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

const K = {
  requestId: ascii('{"requestId":"'),
  srv: ascii(',"srv":"'),
  timing: ascii(',"timing":"'),
  serviceUser: ascii(',"serviceUser":'),
  region: ascii(',"region":"'),
  businessProcess: ascii(',"businessProcess":"'),
  processId: ascii(',"processId":"'),
  step: ascii(',"step":'),
  userAttempt: ascii(',"userAttempt":'),
  targetResponseTimeMs: ascii(',"targetResponseTimeMs":'),
  trueHubClockOffsetMs: ascii(',"trueHubClockOffsetMs":'),
  providerRecordId: ascii(',"providerRecordId":"'),
  failureAlertCode: ascii(',"failureAlertCode":"'),
  failureAlertId: ascii(',"failureAlertId":"'),
  outcome: ascii(',"outcome":"'),
  responseCode: ascii(',"responseCode":"'),
  attempts: ascii(',"attempts":'),
  gbtBlocks: ascii(',"gbtBlocks":'),
  gbtPackets: ascii(',"gbtPackets":'),
  excludable: ascii(',"excludable":'),
  exclusionReason: ascii(',"exclusionReason":"'),
};
/** `,"<field>":"` of each true timing point, in REQUEST_TRUTH_TIME_FIELDS' order. */
const TIME_KEYS = REQUEST_TRUTH_TIME_FIELDS.map((f) => ascii(`,"${f}":"`));

/** One JSONL record. serviceUser comes from the scenario file and is escaped. */
export function spellRequestTruth(out: LineBytes, r: RequestTruthRecord<ToSpell>): void {
  out.textField(K.requestId, r.requestId);
  out.strField(K.srv, r.srv);
  out.strField(K.timing, r.timing);
  out.jsonField(K.serviceUser, r.serviceUser);
  out.strField(K.region, r.region);
  out.strField(K.businessProcess, r.businessProcess);
  out.textField(K.processId, r.processId);
  out.intField(K.step, r.step);
  out.intField(K.userAttempt, r.userAttempt);
  out.intField(K.targetResponseTimeMs, r.targetResponseTimeMs);
  // One call per field, not a loop over their names: a read by a varying key is a slow, megamorphic one.
  out.timeField(TIME_KEYS[0], r.trueSentByUserTimestamp);
  out.timeField(TIME_KEYS[1], r.trueDspReceivedTimestamp);
  out.timeField(TIME_KEYS[2], r.trueClockStartTimestamp);
  out.timeField(TIME_KEYS[3], r.trueExecutionTimestamp);
  out.timeField(TIME_KEYS[4], r.trueSentToProviderTimestamp);
  out.timeField(TIME_KEYS[5], r.trueProviderReceivedTimestamp);
  out.timeField(TIME_KEYS[6], r.trueHubReceivedTimestamp);
  out.timeField(TIME_KEYS[7], r.trueDeviceReceivedTimestamp);
  out.timeField(TIME_KEYS[8], r.trueDeviceRespondedTimestamp);
  out.timeField(TIME_KEYS[9], r.trueHubResponseSentTimestamp);
  out.timeField(TIME_KEYS[10], r.trueProviderResponseTimestamp);
  out.timeField(TIME_KEYS[11], r.trueProviderResponseSentTimestamp);
  out.timeField(TIME_KEYS[12], r.trueDspResponseTimestamp);
  out.timeField(TIME_KEYS[13], r.trueResponseSentTimestamp);
  out.timeField(TIME_KEYS[14], r.trueUserReceivedTimestamp);
  out.intField(K.trueHubClockOffsetMs, r.trueHubClockOffsetMs);
  out.textField(K.providerRecordId, r.providerRecordId);
  if (r.failureAlertCode !== undefined) {
    out.strField(K.failureAlertCode, r.failureAlertCode);
    out.textField(K.failureAlertId, r.failureAlertId);
  }
  if (r.outcome === 'success' && r.responseCode === 'I0' && r.attempts === 1 && r.gbtBlocks === 0 && r.gbtPackets === 0 && !r.excludable && r.exclusionReason === undefined) out.lit(PLAIN_SUCCESS);
  else spellOutcome(out, r);
}

/** The fields from `outcome` on, and the closing brace. */
function spellOutcome(out: LineBytes, r: Outcome): void {
  out.strField(K.outcome, r.outcome);
  out.strField(K.responseCode, r.responseCode);
  out.intField(K.attempts, r.attempts);
  out.intField(K.gbtBlocks, r.gbtBlocks);
  out.intField(K.gbtPackets, r.gbtPackets);
  out.boolField(K.excludable, r.excludable);
  out.strField(K.exclusionReason, r.exclusionReason);
  out.close();
}

type Outcome = Pick<RequestTruthRecord<ToSpell>, 'outcome' | 'responseCode' | 'attempts' | 'gbtBlocks' | 'gbtPackets' | 'excludable' | 'exclusionReason'>;

/**
 * Most requests end the same way (a success at the first attempt, no GBT
 * read): that ending spelled once by spellOutcome, written as one literal
 * instead of seven fields.
 */
const PLAIN_SUCCESS = ascii(spellLine(spellOutcome, { outcome: 'success', responseCode: 'I0', attempts: 1, gbtBlocks: 0, gbtPackets: 0, excludable: false }));

/** One JSONL line (replay, tests): spellRequestTruth's bytes as text. */
export function serializeRequestTruth(r: RequestTruthRecord<ToSpell>): string {
  return spellLine(spellRequestTruth, r);
}
