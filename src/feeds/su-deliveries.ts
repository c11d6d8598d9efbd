/**
 * su-deliveries.jsonl: the Service User gateway's view, one record per
 * delivery attempt the DSP made (first attempt and retries).
 */
import { SCHEMA_DIALECT, alertCodeSchema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const SU_DELIVERIES_PATH = 'feeds/su-deliveries.jsonl';

export const SU_DELIVERY_OUTCOMES = ['acknowledged', 'noHandshake', 'gatewayDown'] as const;
export type SuDeliveryOutcome = (typeof SU_DELIVERY_OUTCOMES)[number];

/** A record as read back (every field spelled); the recorders give `SuDeliveryRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface SuDeliveryRecord<V extends ToSpell = AsRead> {
  deliveryId: V['text'];
  /** The DSP alertId. */
  alertId: V['text'];
  userId: string;
  /** 1 for the first attempt. */
  attempt: number;
  alertCode: string;
  sentTimestamp: V['time'];
  /** Absent when the gateway was down. */
  receivedTimestamp?: V['time'];
  handshakeTimestamp?: V['time'];
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

const K = {
  deliveryId: ascii('{"deliveryId":"'),
  alertId: ascii(',"alertId":"'),
  userId: ascii(',"userId":'),
  attempt: ascii(',"attempt":'),
  alertCode: ascii(',"alertCode":"'),
  sentTimestamp: ascii(',"sentTimestamp":"'),
  receivedTimestamp: ascii(',"receivedTimestamp":"'),
  handshakeTimestamp: ascii(',"handshakeTimestamp":"'),
  outcome: ascii(',"outcome":"'),
};

/**
 * One JSONL record. userId comes from the scenario file and is escaped; every
 * other string is produced by the twin and never needs escaping.
 */
export function spellSuDelivery(out: LineBytes, r: SuDeliveryRecord<ToSpell>): void {
  out.textField(K.deliveryId, r.deliveryId);
  out.textField(K.alertId, r.alertId);
  out.jsonField(K.userId, r.userId);
  out.intField(K.attempt, r.attempt);
  out.strField(K.alertCode, r.alertCode);
  out.timeField(K.sentTimestamp, r.sentTimestamp);
  out.timeField(K.receivedTimestamp, r.receivedTimestamp);
  out.timeField(K.handshakeTimestamp, r.handshakeTimestamp);
  out.strField(K.outcome, r.outcome);
  out.close();
}

/** One JSONL line (replay, tests): spellSuDelivery's bytes as text. */
export function serializeSuDelivery(r: SuDeliveryRecord<ToSpell>): string {
  return spellLine(spellSuDelivery, r);
}
