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
import { ascii, spellLine, type AsRead, type LineBytes, type ToSpell } from './bytes.js';

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

/** A record as read back (every field spelled); the recorders give `GroundTruthRecord<ToSpell>`: times as Unix ms, ids and EUIs as their parts. */
export interface GroundTruthRecord<V extends ToSpell = AsRead> {
  /** The DSP's alertId (absent: lost before the DSP). */
  alertId?: V['text'];
  alertCode: string;
  region: RegionLabel;
  /** The User it was for (or aimed at, if lost before routing); `DSP` for the ACB. */
  targetUser: string;
  /** The device the alert is about, as the DSP reports it (the hub for AD1 and the hub's own alerts). */
  deviceId: V['text'];
  /** Alert condition in the device. */
  trueConditionTimestamp?: V['time'];
  /** HAN receipt at the CHF. */
  trueChfReceivedTimestamp?: V['time'];
  /** Hub SDK send (WAN side). */
  trueWanSentTimestamp?: V['time'];
  /** The hub's SDK clock minus true time, ms: HubTimestamp = trueWanSentTimestamp + this. */
  trueHubClockOffsetMs?: number;
  trueCspArrivalTimestamp?: V['time'];
  trueCspDepartureTimestamp?: V['time'];
  trueDspReceivedTimestamp?: V['time'];
  truePassedToServiceUserTimestamp?: V['time'];
  /** First receipt at the User's gateway. */
  trueServiceUserReceivedTimestamp?: V['time'];
  trueHandshakeTimestamp?: V['time'];
  /** Failed alerts: when the DSP's failed queue discards it (entry + dsp.failedQueueRetention). */
  trueFailedQueueExpiryTimestamp?: V['time'];
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

const K = {
  open: ascii('{'),
  alertId: ascii('"alertId":"'),
  alertCode: ascii('"alertCode":"'),
  afterAlertId: ascii(',"alertCode":"'),
  region: ascii(',"region":"'),
  targetUser: ascii(',"targetUser":'),
  deviceId: ascii(',"deviceId":"'),
  trueConditionTimestamp: ascii(',"trueConditionTimestamp":"'),
  trueChfReceivedTimestamp: ascii(',"trueChfReceivedTimestamp":"'),
  trueWanSentTimestamp: ascii(',"trueWanSentTimestamp":"'),
  trueHubClockOffsetMs: ascii(',"trueHubClockOffsetMs":'),
  trueCspArrivalTimestamp: ascii(',"trueCspArrivalTimestamp":"'),
  trueCspDepartureTimestamp: ascii(',"trueCspDepartureTimestamp":"'),
  trueDspReceivedTimestamp: ascii(',"trueDspReceivedTimestamp":"'),
  truePassedToServiceUserTimestamp: ascii(',"truePassedToServiceUserTimestamp":"'),
  trueServiceUserReceivedTimestamp: ascii(',"trueServiceUserReceivedTimestamp":"'),
  trueHandshakeTimestamp: ascii(',"trueHandshakeTimestamp":"'),
  trueFailedQueueExpiryTimestamp: ascii(',"trueFailedQueueExpiryTimestamp":"'),
  outcome: ascii(',"outcome":"'),
  lostAt: ascii(',"lostAt":"'),
  lostReason: ascii(',"lostReason":"'),
  event: ascii(',"event":'),
};

/**
 * One JSONL record. targetUser and event come from the scenario file and are
 * escaped; every other string is produced by the twin and never needs it.
 */
export function spellGroundTruth(out: LineBytes, r: GroundTruthRecord<ToSpell>): void {
  out.lit(K.open);
  if (r.alertId !== undefined) {
    out.textField(K.alertId, r.alertId);
    out.strField(K.afterAlertId, r.alertCode);
  } else {
    out.strField(K.alertCode, r.alertCode);
  }
  out.strField(K.region, r.region);
  out.jsonField(K.targetUser, r.targetUser);
  out.textField(K.deviceId, r.deviceId);
  out.timeField(K.trueConditionTimestamp, r.trueConditionTimestamp);
  out.timeField(K.trueChfReceivedTimestamp, r.trueChfReceivedTimestamp);
  out.timeField(K.trueWanSentTimestamp, r.trueWanSentTimestamp);
  out.intField(K.trueHubClockOffsetMs, r.trueHubClockOffsetMs);
  out.timeField(K.trueCspArrivalTimestamp, r.trueCspArrivalTimestamp);
  out.timeField(K.trueCspDepartureTimestamp, r.trueCspDepartureTimestamp);
  out.timeField(K.trueDspReceivedTimestamp, r.trueDspReceivedTimestamp);
  out.timeField(K.truePassedToServiceUserTimestamp, r.truePassedToServiceUserTimestamp);
  out.timeField(K.trueServiceUserReceivedTimestamp, r.trueServiceUserReceivedTimestamp);
  out.timeField(K.trueHandshakeTimestamp, r.trueHandshakeTimestamp);
  out.timeField(K.trueFailedQueueExpiryTimestamp, r.trueFailedQueueExpiryTimestamp);
  out.strField(K.outcome, r.outcome);
  out.strField(K.lostAt, r.lostAt);
  out.strField(K.lostReason, r.lostReason);
  out.jsonField(K.event, r.event);
  out.close();
}

/** One JSONL line (replay, tests): spellGroundTruth's bytes as text. */
export function serializeGroundTruth(r: GroundTruthRecord<ToSpell>): string {
  return spellLine(spellGroundTruth, r);
}
