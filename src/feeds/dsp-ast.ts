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
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const DSP_AST_PATH = 'feeds/dsp-ast.jsonl';

export const DSP_ALERT_TYPES = ['DeviceAlert', 'DCCAlert'] as const;
export type DspAlertType = (typeof DSP_ALERT_TYPES)[number];

export const DSP_OUTCOMES = ['delivered', 'failed', 'rejected'] as const;
export type DspOutcome = (typeof DSP_OUTCOMES)[number];

/** A record as read back (every field spelled); the recorders give `DspAstRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface DspAstRecord<V extends ToSpell = AsRead> {
  alertId: V['text'];
  /** responseId / messageId / auditId of the CSP or S1SP record it came from. */
  sourceId?: V['text'];
  alertType: DspAlertType;
  alertCode: string;
  region: RegionLabel;
  deviceId: V['text'];
  targetUser: string;
  chfReceivedTimestamp?: V['time'];
  cspReceivedTimestamp?: V['time'];
  cspPassedTimestamp?: V['time'];
  dspReceivedTimestamp: V['time'];
  passedToServiceUserTimestamp?: V['time'];
  serviceUserHandshakeTimestamp?: V['time'];
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

const K = {
  alertId: ascii('{"alertId":"'),
  sourceId: ascii(',"sourceId":"'),
  alertType: ascii(',"alertType":"'),
  alertCode: ascii(',"alertCode":"'),
  region: ascii(',"region":"'),
  deviceId: ascii(',"deviceId":"'),
  targetUser: ascii(',"targetUser":'),
  chfReceivedTimestamp: ascii(',"chfReceivedTimestamp":"'),
  cspReceivedTimestamp: ascii(',"cspReceivedTimestamp":"'),
  cspPassedTimestamp: ascii(',"cspPassedTimestamp":"'),
  dspReceivedTimestamp: ascii(',"dspReceivedTimestamp":"'),
  passedToServiceUserTimestamp: ascii(',"passedToServiceUserTimestamp":"'),
  serviceUserHandshakeTimestamp: ascii(',"serviceUserHandshakeTimestamp":"'),
  deliveryAttempts: ascii(',"deliveryAttempts":'),
  outcome: ascii(',"outcome":"'),
  throttled: ascii(',"throttled":'),
  throttledAlertSequenceId: ascii(',"throttledAlertSequenceId":'),
  throttledAlertCount: ascii(',"throttledAlertCount":'),
};

/**
 * One JSONL record. targetUser comes from the scenario file and is escaped;
 * every other string (ids, codes from the alert routing table, EUI-64s,
 * enums, timestamps) is produced by the twin and never needs escaping.
 */
export function spellDspAst(out: LineBytes, r: DspAstRecord<ToSpell>): void {
  out.textField(K.alertId, r.alertId);
  out.textField(K.sourceId, r.sourceId);
  out.strField(K.alertType, r.alertType);
  out.strField(K.alertCode, r.alertCode);
  out.strField(K.region, r.region);
  out.textField(K.deviceId, r.deviceId);
  out.jsonField(K.targetUser, r.targetUser);
  out.timeField(K.chfReceivedTimestamp, r.chfReceivedTimestamp);
  out.timeField(K.cspReceivedTimestamp, r.cspReceivedTimestamp);
  out.timeField(K.cspPassedTimestamp, r.cspPassedTimestamp);
  out.timeField(K.dspReceivedTimestamp, r.dspReceivedTimestamp);
  out.timeField(K.passedToServiceUserTimestamp, r.passedToServiceUserTimestamp);
  out.timeField(K.serviceUserHandshakeTimestamp, r.serviceUserHandshakeTimestamp);
  out.intField(K.deliveryAttempts, r.deliveryAttempts);
  out.strField(K.outcome, r.outcome);
  out.boolField(K.throttled, r.throttled);
  out.intField(K.throttledAlertSequenceId, r.throttledAlertSequenceId);
  out.intField(K.throttledAlertCount, r.throttledAlertCount);
  out.close();
}

/** One JSONL line (replay, tests): spellDspAst's bytes as text. */
export function serializeDspAst(r: DspAstRecord<ToSpell>): string {
  return spellLine(spellDspAst, r);
}
