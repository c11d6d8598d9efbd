/**
 * csp-north-rni.jsonl: CSP North's sendMessage records, one per Device Alert
 * it passes to the DSP. Exactly the fields of the JSON response object in
 * seed 001 (001_efa0c920a73de28e.txt), section 4.2: `timestamp` is when CSP
 * North passes the alert to the DSP (its departure), `HubTimestamp` is
 * applied by the hub's SDK on the WAN side and is not mandatory. The same
 * section says real records carry other fields too ("other fields are
 * included"), so the schema allows them; the metrics pipeline ignores them.
 */
import { SCHEMA_DIALECT, base64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const CSP_NORTH_RNI_PATH = 'feeds/csp-north-rni.jsonl';

/** A record as read back (every field spelled); the recorders give `CspNorthRniRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface CspNorthRniRecord<V extends ToSpell = AsRead> {
  responseId: V['text'];
  /** Radio End Point ID: a 32-bit (10-digit) integer (seed 001, section 4.2). */
  commsHubId: number;
  /** The GBCS alert, Base64. */
  payload: string;
  timestamp: V['time'];
  HubTimestamp?: V['time'];
}

export const cspNorthRniSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/csp-north-rni.json',
  title: 'CSP North RNI sendMessage record',
  type: 'object',
  additionalProperties: true,
  required: ['responseId', 'commsHubId', 'payload', 'timestamp'],
  properties: {
    responseId: idSchema,
    commsHubId: { type: 'integer', minimum: 0, maximum: 4294967295 },
    payload: base64Schema,
    timestamp: timestampSchema,
    HubTimestamp: timestampSchema,
  },
};

const K = {
  responseId: ascii('{"responseId":"'),
  commsHubId: ascii(',"commsHubId":'),
  payload: ascii(',"payload":"'),
  timestamp: ascii(',"timestamp":"'),
  HubTimestamp: ascii(',"HubTimestamp":"'),
};

/**
 * One JSONL record. Every value is produced by the twin (ids, Base64,
 * timestamps, an integer) and never needs JSON escaping, so none is escaped.
 */
export function spellCspNorthRni(out: LineBytes, r: CspNorthRniRecord<ToSpell>): void {
  out.textField(K.responseId, r.responseId);
  out.intField(K.commsHubId, r.commsHubId);
  out.strField(K.payload, r.payload);
  out.timeField(K.timestamp, r.timestamp);
  out.timeField(K.HubTimestamp, r.HubTimestamp);
  out.close();
}

/** One JSONL line (replay, tests): spellCspNorthRni's bytes as text. */
export function serializeCspNorthRni(r: CspNorthRniRecord<ToSpell>): string {
  return spellLine(spellCspNorthRni, r);
}
