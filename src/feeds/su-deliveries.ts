/**
 * su-deliveries.jsonl: the Service User gateway's view, one record per
 * delivery attempt the DSP made (first attempt and retries).
 */
import { SCHEMA_DIALECT, alertCodeSchema, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const SU_DELIVERIES_PATH = 'feeds/su-deliveries.jsonl';

export const SU_DELIVERY_OUTCOMES = ['acknowledged', 'noHandshake', 'gatewayDown'] as const;
export type SuDeliveryOutcome = (typeof SU_DELIVERY_OUTCOMES)[number];

export interface SuDeliveryRecord {
  deliveryId: string;
  /** The DSP alertId. */
  alertId: string;
  userId: string;
  /** 1 for the first attempt. */
  attempt: number;
  alertCode: string;
  sentTimestamp: string;
  /** Absent when the gateway was down. */
  receivedTimestamp?: string;
  handshakeTimestamp?: string;
  outcome: SuDeliveryOutcome;
}

export const suDeliveriesSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/su-deliveries.json',
  title: 'Service User gateway delivery record',
  type: 'object',
  additionalProperties: false,
  required: ['deliveryId', 'alertId', 'userId', 'attempt', 'alertCode', 'sentTimestamp', 'outcome'],
  properties: {
    deliveryId: idSchema,
    alertId: idSchema,
    userId: idSchema,
    attempt: { type: 'integer', minimum: 1 },
    alertCode: alertCodeSchema,
    sentTimestamp: timestampSchema,
    receivedTimestamp: timestampSchema,
    handshakeTimestamp: timestampSchema,
    outcome: { enum: SU_DELIVERY_OUTCOMES },
  },
};

/**
 * One JSONL line. userId comes from the scenario file and is escaped; every
 * other string is produced by the twin and never needs escaping.
 */
export function serializeSuDelivery(r: SuDeliveryRecord): string {
  let s = `{"deliveryId":"${r.deliveryId}","alertId":"${r.alertId}","userId":${JSON.stringify(r.userId)},"attempt":${r.attempt},"alertCode":"${r.alertCode}","sentTimestamp":"${r.sentTimestamp}"`;
  if (r.receivedTimestamp !== undefined) s += `,"receivedTimestamp":"${r.receivedTimestamp}"`;
  if (r.handshakeTimestamp !== undefined) s += `,"handshakeTimestamp":"${r.handshakeTimestamp}"`;
  return s + `,"outcome":"${r.outcome}"}`;
}
