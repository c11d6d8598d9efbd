/**
 * csp-forward.jsonl: what CSP Central and CSP South pass to the DSP, one
 * record per Device Alert, with the CSP's own arrival and departure times
 * (the measuring points of CR1418 requirement [A], seed 000).
 */
import { CENTRAL, REGION_LABELS, SOUTH, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, base64Schema, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

export const CSP_FORWARD_PATH = 'feeds/csp-forward.jsonl';

/** The CSPs whose records this feed holds, as the PMR spells them. */
export const CSP_FORWARD_CSPS: readonly RegionLabel[] = [REGION_LABELS[CENTRAL], REGION_LABELS[SOUTH]];

/** A record as read back (every field spelled); the recorders give `CspForwardRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface CspForwardRecord<V extends ToSpell = AsRead> {
  messageId: V['text'];
  /** Central or South. */
  csp: RegionLabel;
  /** EUI-64 of the hub, 16 upper-case hex digits. */
  commsHubId: V['text'];
  payload: string;
  HubTimestamp?: V['time'];
  cspReceivedTimestamp: V['time'];
  cspSentTimestamp: V['time'];
}

export const cspForwardSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/csp-forward.json',
  title: 'CSP Central / CSP South forward record',
  type: 'object',
  additionalProperties: false,
  required: ['messageId', 'csp', 'commsHubId', 'payload', 'cspReceivedTimestamp', 'cspSentTimestamp'],
  properties: {
    messageId: idSchema,
    csp: { enum: CSP_FORWARD_CSPS },
    commsHubId: eui64Schema,
    payload: base64Schema,
    HubTimestamp: timestampSchema,
    cspReceivedTimestamp: timestampSchema,
    cspSentTimestamp: timestampSchema,
  },
};

const K = {
  messageId: ascii('{"messageId":"'),
  csp: ascii(',"csp":"'),
  commsHubId: ascii(',"commsHubId":"'),
  payload: ascii(',"payload":"'),
  HubTimestamp: ascii(',"HubTimestamp":"'),
  cspReceivedTimestamp: ascii(',"cspReceivedTimestamp":"'),
  cspSentTimestamp: ascii(',"cspSentTimestamp":"'),
};

/** One JSONL record. Every value is produced by the twin and never needs JSON escaping. */
export function spellCspForward(out: LineBytes, r: CspForwardRecord<ToSpell>): void {
  out.textField(K.messageId, r.messageId);
  out.strField(K.csp, r.csp);
  out.textField(K.commsHubId, r.commsHubId);
  out.strField(K.payload, r.payload);
  out.timeField(K.HubTimestamp, r.HubTimestamp);
  out.timeField(K.cspReceivedTimestamp, r.cspReceivedTimestamp);
  out.timeField(K.cspSentTimestamp, r.cspSentTimestamp);
  out.close();
}

/** One JSONL line (replay, tests): spellCspForward's bytes as text. */
export function serializeCspForward(r: CspForwardRecord<ToSpell>): string {
  return spellLine(spellCspForward, r);
}
