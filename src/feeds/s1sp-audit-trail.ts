/**
 * s1sp-audit-trail.jsonl: the SMETS1 Service Provider service audit trail,
 * with the time points T1, T2, T4 and T5 as CR1438 names them
 * (seed 000, 000_c69a0be2345f4acb.txt, CR1438). T3 is not in CR1438's list.
 *
 * Records of alerts carry `alertCode`; records of Service Responses carry
 * `srv` instead (exactly one of the two), with the same four points read for
 * a response (an assumption: CR1438 lists them for alerts): T1 the device's
 * response, T2 its receipt by the SMSO, T4 its notification to the
 * interface, T5 its delivery to the DSP.
 */
import { SRV_NUMBERS } from '../dcc/srvs.js';
import { SCHEMA_DIALECT, alertCodeSchema, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

const srvSchema = { enum: SRV_NUMBERS };

export const S1SP_AUDIT_TRAIL_PATH = 'feeds/s1sp-audit-trail.jsonl';

/** A record as read back (every field spelled); the recorders give `S1spAuditTrailRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface S1spAuditTrailRecord<V extends ToSpell = AsRead> {
  auditId: V['text'];
  /** `S1SP-1`, `S1SP-2` ... */
  s1sp: string;
  deviceId: V['text'];
  /** An alert's code; absent for a Service Response. */
  alertCode?: string;
  /** A Service Response's SRV (`4.8.1`); absent for an alert. */
  srv?: string;
  /** Alert condition triggered in the device (a response: the device sends it). */
  T1: V['time'];
  /** Sent by the CH and received by the SMSO. */
  T2: V['time'];
  /** Notified to the interface; absent if lost before. */
  T4?: V['time'];
  /** Delivered to the DSP; absent if lost before. */
  T5?: V['time'];
}

export const s1spAuditTrailSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/s1sp-audit-trail.json',
  title: 'SMETS1 service audit trail record',
  type: 'object',
  additionalProperties: false,
  required: ['auditId', 's1sp', 'deviceId', 'T1', 'T2'],
  // An alert's record or a response's: exactly one of alertCode and srv.
  oneOf: [
    { properties: { alertCode: alertCodeSchema }, required: ['alertCode'] },
    { properties: { srv: srvSchema }, required: ['srv'] },
  ],
  properties: {
    auditId: idSchema,
    s1sp: { type: 'string', pattern: '^S1SP-[1-9][0-9]*$' },
    deviceId: eui64Schema,
    alertCode: alertCodeSchema,
    srv: srvSchema,
    T1: timestampSchema,
    T2: timestampSchema,
    T4: timestampSchema,
    T5: timestampSchema,
  },
};

const K = {
  auditId: ascii('{"auditId":"'),
  s1sp: ascii(',"s1sp":"'),
  deviceId: ascii(',"deviceId":"'),
  alertCode: ascii(',"alertCode":"'),
  srv: ascii(',"srv":"'),
  T1: ascii(',"T1":"'),
  T2: ascii(',"T2":"'),
  T4: ascii(',"T4":"'),
  T5: ascii(',"T5":"'),
};

/**
 * One JSONL record. Ids, S1SP names, EUI-64s, alert codes (from the twin's
 * alert routing table) and timestamps never need JSON escaping.
 */
export function spellS1spAuditTrail(out: LineBytes, r: S1spAuditTrailRecord<ToSpell>): void {
  out.textField(K.auditId, r.auditId);
  out.strField(K.s1sp, r.s1sp);
  out.textField(K.deviceId, r.deviceId);
  if (r.alertCode !== undefined) out.strField(K.alertCode, r.alertCode);
  else out.strField(K.srv, r.srv);
  out.timeField(K.T1, r.T1);
  out.timeField(K.T2, r.T2);
  out.timeField(K.T4, r.T4);
  out.timeField(K.T5, r.T5);
  out.close();
}

/** One JSONL line (replay, tests): spellS1spAuditTrail's bytes as text. */
export function serializeS1spAuditTrail(r: S1spAuditTrailRecord<ToSpell>): string {
  return spellLine(spellS1spAuditTrail, r);
}
