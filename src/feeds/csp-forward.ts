/**
 * csp-forward.jsonl: what CSP Central and CSP South pass to the DSP, one
 * record per Device Alert, with the CSP's own arrival and departure times
 * (the measuring points of CR1418 requirement [A], seed 000).
 */
import { CENTRAL, REGION_LABELS, SOUTH, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, base64Schema, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const CSP_FORWARD_PATH = 'feeds/csp-forward.jsonl';

/** The CSPs whose records this feed holds, as the PMR spells them. */
export const CSP_FORWARD_CSPS: readonly RegionLabel[] = [REGION_LABELS[CENTRAL], REGION_LABELS[SOUTH]];

export interface CspForwardRecord {
  messageId: string;
  /** Central or South. */
  csp: RegionLabel;
  /** EUI-64 of the hub, 16 upper-case hex digits. */
  commsHubId: string;
  payload: string;
  HubTimestamp?: string;
  cspReceivedTimestamp: string;
  cspSentTimestamp: string;
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

/** One JSONL line. Every value is produced by the twin and never needs JSON escaping. */
export function serializeCspForward(r: CspForwardRecord): string {
  const hub = r.HubTimestamp === undefined ? '' : `,"HubTimestamp":"${r.HubTimestamp}"`;
  return `{"messageId":"${r.messageId}","csp":"${r.csp}","commsHubId":"${r.commsHubId}","payload":"${r.payload}"${hub},"cspReceivedTimestamp":"${r.cspReceivedTimestamp}","cspSentTimestamp":"${r.cspSentTimestamp}"}`;
}
