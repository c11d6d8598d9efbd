/**
 * ground-truth.jsonl: the simulator's knowledge of every hop of every DSP
 * alert (same alertId as dsp-ast.jsonl), and of every alert lost before the
 * DSP (no alertId; where and why it was lost), for comparing reported figures
 * with true ones and showing what the feeds miss. Not a feed: it lives beside
 * feeds/, not in it. A point the alert never reached is left out.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, alertCodeSchema, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { DSP_OUTCOMES } from './dsp-ast.js';

export const GROUND_TRUTH_PATH = 'ground-truth.jsonl';

/** A journey's outcome: the DSP's, or lost before the DSP. */
export const GROUND_TRUTH_OUTCOMES = [...DSP_OUTCOMES, 'lost'] as const;
export type GroundTruthOutcome = (typeof GROUND_TRUTH_OUTCOMES)[number];

/** Where an alert lost before the DSP was lost: the components as the scenario names them. */
export const LOST_AT = ['commsHub', 'cspNorth', 'cspCentral', 'cspSouth', 's1sp', 'dsp'] as const;
/**
 * Why: `noWan`, a hub installed and left without SMWAN; `componentOutage`, a
 * component out of service in drop mode; `lastGaspNotSent`, a hub whose last
 * gasp did not get out as power failed.
 */
export const LOST_REASONS = ['noWan', 'componentOutage', 'lastGaspNotSent'] as const;

export interface GroundTruthRecord {
  /** The DSP's alertId (absent: lost before the DSP). */
  alertId?: string;
  alertCode: string;
  region: RegionLabel;
  /** The User it was for (or aimed at, if lost before routing); `DSP` for the ACB. */
  targetUser: string;
  /** The device the alert is about, as the DSP reports it (the hub for AD1 and the hub's own alerts). */
  deviceId: string;
  /** Alert condition in the device. */
  trueConditionTimestamp?: string;
  /** HAN receipt at the CHF. */
  trueChfReceivedTimestamp?: string;
  /** Hub SDK send (WAN side). */
  trueWanSentTimestamp?: string;
  /** The hub's SDK clock minus true time, ms: HubTimestamp = trueWanSentTimestamp + this. */
  trueHubClockOffsetMs?: number;
  trueCspArrivalTimestamp?: string;
  trueCspDepartureTimestamp?: string;
  trueDspReceivedTimestamp?: string;
  truePassedToServiceUserTimestamp?: string;
  /** First receipt at the User's gateway. */
  trueServiceUserReceivedTimestamp?: string;
  trueHandshakeTimestamp?: string;
  /** Failed alerts: when the DSP's failed queue discards it (entry + dsp.failedQueueRetention). */
  trueFailedQueueExpiryTimestamp?: string;
  outcome: GroundTruthOutcome;
  /** Lost alerts: where and why. */
  lostAt?: (typeof LOST_AT)[number];
  lostReason?: (typeof LOST_REASONS)[number];
  /** Label of the scenario event that caused it. */
  event?: string;
}

export const groundTruthSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/ground-truth.json',
  title: 'Ground-truth journey of one alert, delivered to the DSP or lost before it',
  type: 'object',
  additionalProperties: false,
  // deviceId is always written; not required, so that run directories from before it still load.
  required: ['alertCode', 'region', 'targetUser', 'outcome'],
  properties: {
    alertId: idSchema,
    alertCode: alertCodeSchema,
    region: { enum: REGION_LABELS },
    targetUser: idSchema,
    deviceId: eui64Schema,
    trueConditionTimestamp: timestampSchema,
    trueChfReceivedTimestamp: timestampSchema,
    trueWanSentTimestamp: timestampSchema,
    trueHubClockOffsetMs: { type: 'integer' },
    trueCspArrivalTimestamp: timestampSchema,
    trueCspDepartureTimestamp: timestampSchema,
    trueDspReceivedTimestamp: timestampSchema,
    truePassedToServiceUserTimestamp: timestampSchema,
    trueServiceUserReceivedTimestamp: timestampSchema,
    trueHandshakeTimestamp: timestampSchema,
    trueFailedQueueExpiryTimestamp: timestampSchema,
    outcome: { enum: GROUND_TRUTH_OUTCOMES },
    lostAt: { enum: LOST_AT },
    lostReason: { enum: LOST_REASONS },
    event: { type: 'string' },
  },
};

/**
 * One JSONL line. targetUser and event come from the scenario file and are
 * escaped; every other string is produced by the twin and never needs it.
 */
export function serializeGroundTruth(r: GroundTruthRecord): string {
  let s = '{';
  if (r.alertId !== undefined) s += `"alertId":"${r.alertId}",`;
  s += `"alertCode":"${r.alertCode}","region":"${r.region}","targetUser":${JSON.stringify(r.targetUser)},"deviceId":"${r.deviceId}"`;
  if (r.trueConditionTimestamp !== undefined) s += `,"trueConditionTimestamp":"${r.trueConditionTimestamp}"`;
  if (r.trueChfReceivedTimestamp !== undefined) s += `,"trueChfReceivedTimestamp":"${r.trueChfReceivedTimestamp}"`;
  if (r.trueWanSentTimestamp !== undefined) s += `,"trueWanSentTimestamp":"${r.trueWanSentTimestamp}"`;
  if (r.trueHubClockOffsetMs !== undefined) s += `,"trueHubClockOffsetMs":${r.trueHubClockOffsetMs}`;
  if (r.trueCspArrivalTimestamp !== undefined) s += `,"trueCspArrivalTimestamp":"${r.trueCspArrivalTimestamp}"`;
  if (r.trueCspDepartureTimestamp !== undefined) s += `,"trueCspDepartureTimestamp":"${r.trueCspDepartureTimestamp}"`;
  if (r.trueDspReceivedTimestamp !== undefined) s += `,"trueDspReceivedTimestamp":"${r.trueDspReceivedTimestamp}"`;
  if (r.truePassedToServiceUserTimestamp !== undefined) s += `,"truePassedToServiceUserTimestamp":"${r.truePassedToServiceUserTimestamp}"`;
  if (r.trueServiceUserReceivedTimestamp !== undefined) s += `,"trueServiceUserReceivedTimestamp":"${r.trueServiceUserReceivedTimestamp}"`;
  if (r.trueHandshakeTimestamp !== undefined) s += `,"trueHandshakeTimestamp":"${r.trueHandshakeTimestamp}"`;
  if (r.trueFailedQueueExpiryTimestamp !== undefined) s += `,"trueFailedQueueExpiryTimestamp":"${r.trueFailedQueueExpiryTimestamp}"`;
  s += `,"outcome":"${r.outcome}"`;
  if (r.lostAt !== undefined) s += `,"lostAt":"${r.lostAt}"`;
  if (r.lostReason !== undefined) s += `,"lostReason":"${r.lostReason}"`;
  if (r.event !== undefined) s += `,"event":${JSON.stringify(r.event)}`;
  return s + '}';
}
