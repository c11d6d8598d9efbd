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

const srvSchema = { enum: SRV_NUMBERS };

export const S1SP_AUDIT_TRAIL_PATH = 'feeds/s1sp-audit-trail.jsonl';

export interface S1spAuditTrailRecord {
  auditId: string;
  /** `S1SP-1`, `S1SP-2` ... */
  s1sp: string;
  deviceId: string;
  /** An alert's code; absent for a Service Response. */
  alertCode?: string;
  /** A Service Response's SRV (`4.8.1`); absent for an alert. */
  srv?: string;
  /** Alert condition triggered in the device (a response: the device sends it). */
  T1: string;
  /** Sent by the CH and received by the SMSO. */
  T2: string;
  /** Notified to the interface; absent if lost before. */
  T4?: string;
  /** Delivered to the DSP; absent if lost before. */
  T5?: string;
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

/**
 * One JSONL line. Ids, S1SP names, EUI-64s, alert codes (from the twin's
 * alert routing table) and timestamps never need JSON escaping.
 */
export function serializeS1spAuditTrail(r: S1spAuditTrailRecord): string {
  const t4 = r.T4 === undefined ? '' : `,"T4":"${r.T4}"`;
  const t5 = r.T5 === undefined ? '' : `,"T5":"${r.T5}"`;
  const what = r.alertCode !== undefined ? `"alertCode":"${r.alertCode}"` : `"srv":"${r.srv}"`;
  return `{"auditId":"${r.auditId}","s1sp":"${r.s1sp}","deviceId":"${r.deviceId}",${what},"T1":"${r.T1}","T2":"${r.T2}"${t4}${t5}}`;
}
