/**
 * dsp-ast.jsonl: the DSP Alert Supplementary Timing log. One record per alert
 * the DSP received, written when its journey ends, with the timing points of
 * CR1418 requirement [A] (seed 000, 000_c69a0be2345f4acb.txt): received by the
 * Comms Hub, received and passed on by the CSP, received by the DSP, passed
 * to the Service User, the User's handshake. chfReceivedTimestamp and
 * cspReceivedTimestamp are the DSP mapped values of seed 001, section 4.2.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import {
  SCHEMA_DIALECT,
  alertCodeSchema,
  eui64Schema,
  idSchema,
  timestampSchema,
 
  type JsonSchema,
} from './schema.js';

export const DSP_AST_PATH = 'feeds/dsp-ast.jsonl';

export const DSP_ALERT_TYPES = ['DeviceAlert', 'DCCAlert'] as const;
export type DspAlertType = (typeof DSP_ALERT_TYPES)[number];

export const DSP_OUTCOMES = ['delivered', 'failed', 'rejected'] as const;
export type DspOutcome = (typeof DSP_OUTCOMES)[number];

export interface DspAstRecord {
  alertId: string;
  /** responseId / messageId / auditId of the CSP or S1SP record it came from. */
  sourceId?: string;
  alertType: DspAlertType;
  alertCode: string;
  region: RegionLabel;
  deviceId: string;
  targetUser: string;
  chfReceivedTimestamp?: string;
  cspReceivedTimestamp?: string;
  cspPassedTimestamp?: string;
  dspReceivedTimestamp: string;
  passedToServiceUserTimestamp?: string;
  serviceUserHandshakeTimestamp?: string;
  deliveryAttempts: number;
  outcome: DspOutcome;
  throttled: boolean;
  throttledAlertSequenceId?: number;
  throttledAlertCount?: number;
}

export const dspAstSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/dsp-ast.json',
  title: 'DSP Alert Supplementary Timing record',
  type: 'object',
  additionalProperties: false,
  required: [
    'alertId',
    'alertType',
    'alertCode',
    'region',
    'deviceId',
    'targetUser',
    'dspReceivedTimestamp',
    'deliveryAttempts',
    'outcome',
    'throttled',
  ],
  properties: {
    alertId: idSchema,
    sourceId: idSchema,
    alertType: { enum: DSP_ALERT_TYPES },
    alertCode: alertCodeSchema,
    region: { enum: REGION_LABELS },
    deviceId: eui64Schema,
    targetUser: idSchema,
    chfReceivedTimestamp: timestampSchema,
    cspReceivedTimestamp: timestampSchema,
    cspPassedTimestamp: timestampSchema,
    dspReceivedTimestamp: timestampSchema,
    passedToServiceUserTimestamp: timestampSchema,
    serviceUserHandshakeTimestamp: timestampSchema,
    deliveryAttempts: { type: 'integer', minimum: 0 },
    outcome: { enum: DSP_OUTCOMES },
    throttled: { type: 'boolean' },
    throttledAlertSequenceId: { type: 'integer', minimum: 0 },
    throttledAlertCount: { type: 'integer', minimum: 0 },
  },
};

/**
 * One JSONL line. targetUser comes from the scenario file and is escaped;
 * every other string (ids, codes from the alert routing table, EUI-64s,
 * enums, timestamps) is produced by the twin and never needs escaping.
 */
export function serializeDspAst(r: DspAstRecord): string {
  let s = `{"alertId":"${r.alertId}"`;
  if (r.sourceId !== undefined) s += `,"sourceId":"${r.sourceId}"`;
  s += `,"alertType":"${r.alertType}","alertCode":"${r.alertCode}","region":"${r.region}","deviceId":"${r.deviceId}","targetUser":${JSON.stringify(r.targetUser)}`;
  if (r.chfReceivedTimestamp !== undefined) s += `,"chfReceivedTimestamp":"${r.chfReceivedTimestamp}"`;
  if (r.cspReceivedTimestamp !== undefined) s += `,"cspReceivedTimestamp":"${r.cspReceivedTimestamp}"`;
  if (r.cspPassedTimestamp !== undefined) s += `,"cspPassedTimestamp":"${r.cspPassedTimestamp}"`;
  s += `,"dspReceivedTimestamp":"${r.dspReceivedTimestamp}"`;
  if (r.passedToServiceUserTimestamp !== undefined) s += `,"passedToServiceUserTimestamp":"${r.passedToServiceUserTimestamp}"`;
  if (r.serviceUserHandshakeTimestamp !== undefined) s += `,"serviceUserHandshakeTimestamp":"${r.serviceUserHandshakeTimestamp}"`;
  s += `,"deliveryAttempts":${r.deliveryAttempts},"outcome":"${r.outcome}","throttled":${r.throttled}`;
  if (r.throttledAlertSequenceId !== undefined) s += `,"throttledAlertSequenceId":${r.throttledAlertSequenceId}`;
  if (r.throttledAlertCount !== undefined) s += `,"throttledAlertCount":${r.throttledAlertCount}`;
  return s + '}';
}
