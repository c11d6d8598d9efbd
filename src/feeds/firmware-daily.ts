/**
 * firmware-daily.jsonl: the daily firmware throughput the Service Providers
 * send the TOC (seed 000, CR1421 [B] "data to the TOC on a daily basis
 * identifying throughput"; CR1440 [D] for SMETS1): per campaign, region,
 * device type and UTC day, how many devices SRV 11.1 targeted, how many
 * images reached the CHF (SMETS1: the S1SP's upload) and whether within the
 * 5-day target, how many devices acknowledged them (8F72, 8F1C), stayed silent
 * past the deadline or never acknowledge (seed 003: IOC/MDS PPMIDs), and the
 * SRV 11.3 activation responses. The seeds name the content; the layout is
 * the project's (docs/feeds.md).
 *
 * Each count is on the day its producer learnt it: the DSP's receipt of 11.1
 * (targeted), the CSP's or S1SP's delivery report (distributed), the day the
 * 5-day target passed without delivery (missedTarget: a delivery after it, or a
 * failure, is counted there once), the device's alert (verified, failed), the
 * deadline passing (silent), the 11.3 response (activation).
 */
import { REGION_LABELS } from '../dcc/regions.js';
import { SCHEMA_DIALECT, idSchema, type JsonSchema } from './schema.js';

export const FIRMWARE_DAILY_PATH = 'feeds/firmware-daily.jsonl';
export const FIRMWARE_DEVICE_TYPES = ['ESME', 'GSME', 'PPMID', 'CH'] as const;
export const DAY_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

export const FIRMWARE_DAILY_COUNTS = [
  'targeted',
  'distributedToChf',
  'distributedWithinTarget',
  'missedTarget',
  'distributionFailed',
  'transferredToDevice',
  'verified',
  'verificationFailed',
  'silent',
  'noAcknowledgement',
  'activationSuccess',
  'activationFailure',
] as const;
export type FirmwareDailyCount = (typeof FIRMWARE_DAILY_COUNTS)[number];

export type FirmwareDailyRecord = {
  day: string;
  campaignId: string;
  region: (typeof REGION_LABELS)[number];
  deviceType: (typeof FIRMWARE_DEVICE_TYPES)[number];
} & Record<FirmwareDailyCount, number>;

const count = { type: 'integer', minimum: 0 } as const;

export const firmwareDailySchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/firmware-daily.json',
  title: 'Daily firmware throughput (CR1421, CR1440)',
  type: 'object',
  additionalProperties: false,
  required: ['day', 'campaignId', 'region', 'deviceType', ...FIRMWARE_DAILY_COUNTS],
  properties: {
    day: { type: 'string', pattern: DAY_PATTERN },
    campaignId: idSchema,
    region: { enum: [...REGION_LABELS] },
    deviceType: { enum: [...FIRMWARE_DEVICE_TYPES] },
    ...Object.fromEntries(FIRMWARE_DAILY_COUNTS.map((c) => [c, count])),
  },
};

/** One JSONL line; ids and labels never need escaping. */
export function serializeFirmwareDaily(r: FirmwareDailyRecord): string {
  let s = `{"day":"${r.day}","campaignId":"${r.campaignId}","region":"${r.region}","deviceType":"${r.deviceType}"`;
  for (const c of FIRMWARE_DAILY_COUNTS) s += `,"${c}":${r[c]}`;
  return s + '}';
}
