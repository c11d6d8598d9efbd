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
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { RESPONSE_CODES, SRV_NUMBERS, SRV_TIMINGS, type ResponseCode, type SrvTiming } from '../dcc/srvs.js';
import { SCHEMA_DIALECT, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const DSP_SERVICE_AUDIT_PATH = 'feeds/dsp-service-audit.jsonl';

export const REQUEST_OUTCOMES = ['success', 'failure'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export interface DspServiceAuditRecord {
  requestId: string;
  srv: string;
  timing: SrvTiming;
  serviceUser: string;
  region: RegionLabel;
  /** The target device (the hub's EUI for requests to the CHF or the DSP). */
  deviceId: string;
  /** The DSP's Target Response Time for this request, ms. */
  targetResponseTimeMs: number;
  /** Absent for scheduled executions (the DSP runs them). */
  receivedFromUserTimestamp?: string;
  /** Future-dated and scheduled requests: when the request was to be executed. */
  executionTimestamp?: string;
  sentToProviderTimestamp?: string;
  lastSentToProviderTimestamp?: string;
  responseReceivedTimestamp?: string;
  responseSentTimestamp: string;
  outcome: RequestOutcome;
  responseCode: ResponseCode;
  retries: number;
  excludable: boolean;
}

export const dspServiceAuditSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/dsp-service-audit.json',
  title: 'DSP service audit record of one Service Request',
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'srv', 'timing', 'serviceUser', 'region', 'deviceId', 'targetResponseTimeMs', 'responseSentTimestamp', 'outcome', 'responseCode', 'retries', 'excludable'],
  properties: {
    requestId: idSchema,
    srv: { enum: SRV_NUMBERS },
    timing: { enum: SRV_TIMINGS },
    serviceUser: idSchema,
    region: { enum: REGION_LABELS },
    deviceId: eui64Schema,
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
  },
};

/** One JSONL line. serviceUser comes from the scenario file and is escaped; every other string is the twin's own. */
export function serializeDspServiceAudit(r: DspServiceAuditRecord): string {
  let s = `{"requestId":"${r.requestId}","srv":"${r.srv}","timing":"${r.timing}","serviceUser":${JSON.stringify(r.serviceUser)},"region":"${r.region}","deviceId":"${r.deviceId}","targetResponseTimeMs":${r.targetResponseTimeMs}`;
  if (r.receivedFromUserTimestamp !== undefined) s += `,"receivedFromUserTimestamp":"${r.receivedFromUserTimestamp}"`;
  if (r.executionTimestamp !== undefined) s += `,"executionTimestamp":"${r.executionTimestamp}"`;
  if (r.sentToProviderTimestamp !== undefined) s += `,"sentToProviderTimestamp":"${r.sentToProviderTimestamp}"`;
  if (r.lastSentToProviderTimestamp !== undefined) s += `,"lastSentToProviderTimestamp":"${r.lastSentToProviderTimestamp}"`;
  if (r.responseReceivedTimestamp !== undefined) s += `,"responseReceivedTimestamp":"${r.responseReceivedTimestamp}"`;
  s += `,"responseSentTimestamp":"${r.responseSentTimestamp}","outcome":"${r.outcome}","responseCode":"${r.responseCode}","retries":${r.retries},"excludable":${r.excludable}}`;
  return s;
}
