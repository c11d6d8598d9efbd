/**
 * dsp-service-audit.jsonl: the DSP's service audit trail of Service Requests.
 * One record per request the DSP answered, written when the response leaves
 * for the User, with every timing point the DSP itself observes: received
 * from the User, the execution time (future-dated and scheduled requests),
 * sent to the CSP or S1SP (first and last attempt), the response received
 * back, the response sent to the User. The RTT of seed 004 section 2.3.1
 * ("from receipt of the SRV from the User, to sending a Service Response to
 * the User", future-dated requests from their execution time: DOMAIN.md) is
 * computed from these by the metrics pipeline.
 *
 * responseCode: I0 success; E201 / E212 communications failure / timeout,
 * the failures seed 004 counts (Payload); E1 / E3 valid failures the DCC does
 * not count against itself, `excludable` (seed 003 section 4, the DCC
 * Exclusion List; seed 004 section 3). See src/dcc/srvs.ts.
 *
 * Each request belongs to one instance of a business process (seed 004
 * Table 1): `processId` names the instance, `step` the request's place in
 * it, `userAttempt` the User's own send of that step (resends after a
 * failure), apart from `retries`, the DCC's own retries to the provider
 * (seed 002 3.5.1). `exclusionReason` says why an excludable failure is
 * excluded: a valid failure (E1, E3), or the User did not wait for the
 * previous step's success (seed 003 section 4's exclusion list).
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { BUSINESS_PROCESSES, RESPONSE_CODES, SRV_NUMBERS, SRV_TIMINGS, type BusinessProcess, type ResponseCode, type SrvTiming } from '../dcc/srvs.js';
import { SCHEMA_DIALECT, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const DSP_SERVICE_AUDIT_PATH = 'feeds/dsp-service-audit.jsonl';

export const REQUEST_OUTCOMES = ['success', 'failure'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** The kinds of device a request's `deviceId` names (the DSP's inventory): the hub's Comms Hub Function, or a device on its HAN. */
export const AUDIT_DEVICE_TYPES = ['CHF', 'ESME', 'GSME', 'GPF', 'PPMID'] as const;
export type AuditDeviceType = (typeof AUDIT_DEVICE_TYPES)[number];

/** Why an excludable failure is excluded: a valid failure (E1, E3), or sent without waiting for the previous step's success. */
export const EXCLUSION_REASONS = ['validFailure', 'notWaited'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** A record as read back (every field spelled); the recorders give `DspServiceAuditRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface DspServiceAuditRecord<V extends ToSpell = AsRead> {
  requestId: V['text'];
  srv: string;
  timing: SrvTiming;
  serviceUser: string;
  region: RegionLabel;
  /** The target device (the hub's EUI for requests to the CHF or the DSP). */
  deviceId: V['text'];
  /** What deviceId names: CHF for requests to the hub or about it (8.14.x); 8.1.1 the device being commissioned. */
  deviceType: AuditDeviceType;
  businessProcess: BusinessProcess;
  /** One per business-process instance, run-namespaced (src/dcc/ids.ts). */
  processId: V['text'];
  /** Position of this SRV in its process instance, 1 first; a resend keeps its step's number. */
  step: number;
  /** The User's own attempt at this step, 1 first (not the DCC's `retries`). */
  userAttempt: number;
  /** The DSP's Target Response Time for this request, ms. */
  targetResponseTimeMs: number;
  /** Absent for scheduled executions (the DSP runs them). */
  receivedFromUserTimestamp?: V['time'];
  /** Future-dated and scheduled requests: when the request was to be executed. */
  executionTimestamp?: V['time'];
  sentToProviderTimestamp?: V['time'];
  lastSentToProviderTimestamp?: V['time'];
  responseReceivedTimestamp?: V['time'];
  responseSentTimestamp: V['time'];
  outcome: RequestOutcome;
  responseCode: ResponseCode;
  retries: number;
  excludable: boolean;
  /** Present exactly when excludable. */
  exclusionReason?: ExclusionReason;
}

export const dspServiceAuditSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/dsp-service-audit.json',
  title: 'DSP service audit record of one Service Request',
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'srv', 'timing', 'serviceUser', 'region', 'deviceId', 'deviceType', 'businessProcess', 'processId', 'step', 'userAttempt', 'targetResponseTimeMs', 'responseSentTimestamp', 'outcome', 'responseCode', 'retries', 'excludable'],
  properties: {
    requestId: idSchema,
    srv: { enum: SRV_NUMBERS },
    timing: { enum: SRV_TIMINGS },
    serviceUser: idSchema,
    region: { enum: REGION_LABELS },
    deviceId: eui64Schema,
    deviceType: { enum: AUDIT_DEVICE_TYPES },
    businessProcess: { enum: BUSINESS_PROCESSES },
    processId: idSchema,
    step: { type: 'integer', minimum: 1 },
    userAttempt: { type: 'integer', minimum: 1 },
    targetResponseTimeMs: { type: 'integer', minimum: 1 },
    receivedFromUserTimestamp: timestampSchema,
    executionTimestamp: timestampSchema,
    sentToProviderTimestamp: timestampSchema,
    lastSentToProviderTimestamp: timestampSchema,
    responseReceivedTimestamp: timestampSchema,
    responseSentTimestamp: timestampSchema,
    outcome: { enum: REQUEST_OUTCOMES },
    responseCode: { enum: RESPONSE_CODES.map((c) => c.code) },
    retries: { type: 'integer', minimum: 0 },
    excludable: { type: 'boolean' },
    exclusionReason: { enum: EXCLUSION_REASONS },
  },
  // exclusionReason is there exactly when the failure is excludable.
  if: { properties: { excludable: { const: true } }, required: ['excludable'] },
  then: { properties: { exclusionReason: { enum: EXCLUSION_REASONS } }, required: ['exclusionReason'] },
  else: { properties: { exclusionReason: false } },
};

const K = {
  requestId: ascii('{"requestId":"'),
  srv: ascii(',"srv":"'),
  timing: ascii(',"timing":"'),
  serviceUser: ascii(',"serviceUser":'),
  region: ascii(',"region":"'),
  deviceId: ascii(',"deviceId":"'),
  deviceType: ascii(',"deviceType":"'),
  businessProcess: ascii(',"businessProcess":"'),
  processId: ascii(',"processId":"'),
  step: ascii(',"step":'),
  userAttempt: ascii(',"userAttempt":'),
  targetResponseTimeMs: ascii(',"targetResponseTimeMs":'),
  receivedFromUserTimestamp: ascii(',"receivedFromUserTimestamp":"'),
  executionTimestamp: ascii(',"executionTimestamp":"'),
  sentToProviderTimestamp: ascii(',"sentToProviderTimestamp":"'),
  lastSentToProviderTimestamp: ascii(',"lastSentToProviderTimestamp":"'),
  responseReceivedTimestamp: ascii(',"responseReceivedTimestamp":"'),
  responseSentTimestamp: ascii(',"responseSentTimestamp":"'),
  outcome: ascii(',"outcome":"'),
  responseCode: ascii(',"responseCode":"'),
  retries: ascii(',"retries":'),
  excludable: ascii(',"excludable":'),
  exclusionReason: ascii(',"exclusionReason":"'),
};

/** One JSONL record. serviceUser comes from the scenario file and is escaped; every other string is the twin's own. */
export function spellDspServiceAudit(out: LineBytes, r: DspServiceAuditRecord<ToSpell>): void {
  out.textField(K.requestId, r.requestId);
  out.strField(K.srv, r.srv);
  out.strField(K.timing, r.timing);
  out.jsonField(K.serviceUser, r.serviceUser);
  out.strField(K.region, r.region);
  out.textField(K.deviceId, r.deviceId);
  out.strField(K.deviceType, r.deviceType);
  out.strField(K.businessProcess, r.businessProcess);
  out.textField(K.processId, r.processId);
  out.intField(K.step, r.step);
  out.intField(K.userAttempt, r.userAttempt);
  out.intField(K.targetResponseTimeMs, r.targetResponseTimeMs);
  out.timeField(K.receivedFromUserTimestamp, r.receivedFromUserTimestamp);
  out.timeField(K.executionTimestamp, r.executionTimestamp);
  out.timeField(K.sentToProviderTimestamp, r.sentToProviderTimestamp);
  out.timeField(K.lastSentToProviderTimestamp, r.lastSentToProviderTimestamp);
  out.timeField(K.responseReceivedTimestamp, r.responseReceivedTimestamp);
  out.timeField(K.responseSentTimestamp, r.responseSentTimestamp);
  if (r.outcome === 'success' && r.responseCode === 'I0' && r.retries === 0 && !r.excludable && r.exclusionReason === undefined) out.lit(PLAIN_SUCCESS);
  else spellOutcome(out, r);
}

/** The fields from `outcome` on, and the closing brace. */
function spellOutcome(out: LineBytes, r: Outcome): void {
  out.strField(K.outcome, r.outcome);
  out.strField(K.responseCode, r.responseCode);
  out.intField(K.retries, r.retries);
  out.boolField(K.excludable, r.excludable);
  out.strField(K.exclusionReason, r.exclusionReason);
  out.close();
}

type Outcome = Pick<DspServiceAuditRecord<ToSpell>, 'outcome' | 'responseCode' | 'retries' | 'excludable' | 'exclusionReason'>;

/** Most requests end the same way (a success at the first attempt): that ending spelled once by spellOutcome, written as one literal instead of five fields. */
const PLAIN_SUCCESS = ascii(spellLine(spellOutcome, { outcome: 'success', responseCode: 'I0', retries: 0, excludable: false }));

/** One JSONL line (replay, tests): spellDspServiceAudit's bytes as text. */
export function serializeDspServiceAudit(r: DspServiceAuditRecord<ToSpell>): string {
  return spellLine(spellDspServiceAudit, r);
}
