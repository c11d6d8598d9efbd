/**
 * firmware-truth.jsonl: the true firmware journey of every targeted device
 * (or Comms Hub), for comparing the daily feeds' figures with what happened.
 * Not a feed: it lives beside feeds/, as ground-truth.jsonl does. A step never
 * reached (or reached after the run) is left out.
 */
import { REGION_LABELS } from '../dcc/regions.js';
import { SCHEMA_DIALECT, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';
import { FIRMWARE_DEVICE_TYPES } from './firmware-daily.js';

export const FIRMWARE_TRUTH_PATH = 'firmware-truth.jsonl';
export const FIRMWARE_TRUTH_TIME_FIELDS = [
  'trueRequestedTimestamp',
  'trueDspPassedTimestamp',
  'trueChfReceivedTimestamp',
  'trueDeviceReceivedTimestamp',
  'trueVerificationTimestamp',
  'trueActivationRequestedTimestamp',
  'trueActivationResponseTimestamp',
] as const;
/**
 * Moments that end a journey without a next step, apart from the steps
 * above (so not in their order): the CSP or S1SP gave the device up; its
 * 5-day distribution target passed without the image at the CHF; the
 * verification deadline passed in silence.
 */
export const FIRMWARE_TRUTH_END_FIELDS = ['trueDistributionFailedTimestamp', 'trueTargetMissedTimestamp', 'trueSilentTimestamp'] as const;
type TimeField = (typeof FIRMWARE_TRUTH_TIME_FIELDS)[number] | (typeof FIRMWARE_TRUTH_END_FIELDS)[number];
const ALL_TIME_FIELDS: readonly TimeField[] = [...FIRMWARE_TRUTH_TIME_FIELDS, ...FIRMWARE_TRUTH_END_FIELDS];

export interface FirmwareTruthRecord {
  targetId: string;
  campaignId: string;
  deviceId: string;
  deviceType: (typeof FIRMWARE_DEVICE_TYPES)[number];
  make: string;
  region: (typeof REGION_LABELS)[number];
  fromVersion: string;
  toVersion: string;
  blocks: number;
  lostBlocks: number;
  distribution: 'delivered' | 'failed' | 'pending';
  verification: 'verified' | 'failed' | 'silent' | 'noAcknowledgement' | 's1spUpload' | 'none';
  activation: 'success' | 'failure' | 'lost' | 'none';
  times: Partial<Record<TimeField, string>>;
}

export const firmwareTruthSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/firmware-truth.json',
  title: 'True firmware journey of a targeted device',
  type: 'object',
  additionalProperties: false,
  required: ['targetId', 'campaignId', 'deviceId', 'deviceType', 'make', 'region', 'fromVersion', 'toVersion', 'blocks', 'lostBlocks', 'distribution', 'verification', 'activation'],
  properties: {
    targetId: idSchema,
    campaignId: idSchema,
    deviceId: eui64Schema,
    deviceType: { enum: [...FIRMWARE_DEVICE_TYPES] },
    make: idSchema,
    region: { enum: [...REGION_LABELS] },
    fromVersion: idSchema,
    toVersion: idSchema,
    blocks: { type: 'integer', minimum: 1 },
    lostBlocks: { type: 'integer', minimum: 0 },
    distribution: { enum: ['delivered', 'failed', 'pending'] },
    verification: { enum: ['verified', 'failed', 'silent', 'noAcknowledgement', 's1spUpload', 'none'] },
    activation: { enum: ['success', 'failure', 'lost', 'none'] },
    ...Object.fromEntries(ALL_TIME_FIELDS.map((f) => [f, timestampSchema])),
  },
};

/** One JSONL line (version labels are the scenario's: JSON-escaped). */
export function serializeFirmwareTruth(r: FirmwareTruthRecord): string {
  let s =
    `{"targetId":"${r.targetId}","campaignId":"${r.campaignId}","deviceId":"${r.deviceId}","deviceType":"${r.deviceType}","make":"${r.make}",` +
    `"region":"${r.region}","fromVersion":${JSON.stringify(r.fromVersion)},"toVersion":${JSON.stringify(r.toVersion)},"blocks":${r.blocks},"lostBlocks":${r.lostBlocks},` +
    `"distribution":"${r.distribution}","verification":"${r.verification}","activation":"${r.activation}"`;
  for (const f of ALL_TIME_FIELDS) {
    const t = r.times[f];
    if (t !== undefined) s += `,"${f}":"${t}"`;
  }
  return s + '}';
}
