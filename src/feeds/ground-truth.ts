/**
 * ground-truth.jsonl: the simulator's knowledge of every hop of every DSP
 * alert (same alertId as dsp-ast.jsonl), for comparing reported figures with
 * true ones. Not a feed: it lives beside feeds/, not in it. A point the alert
 * never reached (lost before, or not on its path: AD1 has no HAN receipt) is
 * left out.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, alertCodeSchema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { DSP_OUTCOMES, type DspOutcome } from './dsp-ast.js';

export const GROUND_TRUTH_PATH = 'ground-truth.jsonl';

export interface GroundTruthRecord {
  alertId: string;
  alertCode: string;
  region: RegionLabel;
  targetUser: string;
  /** Alert condition in the device. */
  trueConditionTimestamp?: string;
  /** HAN receipt at the CHF. */
  trueChfReceivedTimestamp?: string;
  /** Hub SDK send (WAN side). */
  trueWanSentTimestamp?: string;
  trueCspArrivalTimestamp?: string;
  trueCspDepartureTimestamp?: string;
  trueDspReceivedTimestamp: string;
  truePassedToServiceUserTimestamp?: string;
  trueHandshakeTimestamp?: string;
  outcome: DspOutcome;
  /** Label of the scenario event that caused it. */
  event?: string;
}

export const groundTruthSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/ground-truth.json',
  title: 'Ground-truth journey of one DSP alert',
  type: 'object',
  additionalProperties: false,
  required: ['alertId', 'alertCode', 'region', 'targetUser', 'trueDspReceivedTimestamp', 'outcome'],
  properties: {
    alertId: idSchema,
    alertCode: alertCodeSchema,
    region: { enum: REGION_LABELS },
    targetUser: idSchema,
    trueConditionTimestamp: timestampSchema,
    trueChfReceivedTimestamp: timestampSchema,
    trueWanSentTimestamp: timestampSchema,
    trueCspArrivalTimestamp: timestampSchema,
    trueCspDepartureTimestamp: timestampSchema,
    trueDspReceivedTimestamp: timestampSchema,
    truePassedToServiceUserTimestamp: timestampSchema,
    trueHandshakeTimestamp: timestampSchema,
    outcome: { enum: DSP_OUTCOMES },
    event: { type: 'string' },
  },
};

/**
 * One JSONL line. targetUser and event come from the scenario file and are
 * escaped; every other string is produced by the twin and never needs it.
 */
export function serializeGroundTruth(r: GroundTruthRecord): string {
  let s = `{"alertId":"${r.alertId}","alertCode":"${r.alertCode}","region":"${r.region}","targetUser":${JSON.stringify(r.targetUser)}`;
  if (r.trueConditionTimestamp !== undefined) s += `,"trueConditionTimestamp":"${r.trueConditionTimestamp}"`;
  if (r.trueChfReceivedTimestamp !== undefined) s += `,"trueChfReceivedTimestamp":"${r.trueChfReceivedTimestamp}"`;
  if (r.trueWanSentTimestamp !== undefined) s += `,"trueWanSentTimestamp":"${r.trueWanSentTimestamp}"`;
  if (r.trueCspArrivalTimestamp !== undefined) s += `,"trueCspArrivalTimestamp":"${r.trueCspArrivalTimestamp}"`;
  if (r.trueCspDepartureTimestamp !== undefined) s += `,"trueCspDepartureTimestamp":"${r.trueCspDepartureTimestamp}"`;
  s += `,"trueDspReceivedTimestamp":"${r.trueDspReceivedTimestamp}"`;
  if (r.truePassedToServiceUserTimestamp !== undefined) s += `,"truePassedToServiceUserTimestamp":"${r.truePassedToServiceUserTimestamp}"`;
  if (r.trueHandshakeTimestamp !== undefined) s += `,"trueHandshakeTimestamp":"${r.trueHandshakeTimestamp}"`;
  s += `,"outcome":"${r.outcome}"`;
  if (r.event !== undefined) s += `,"event":${JSON.stringify(r.event)}`;
  return s + '}';
}
