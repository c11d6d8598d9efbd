/**
 * firmware-comms-hub-daily.jsonl: Comms Hub firmware, which the CSPs (and
 * S1SPs) send over their own networks, invisible to the DCC (seed 000,
 * CR1423: "report on attempts and success of the download of Comms Hub
 * Firmware Images ... on a daily basis"): per campaign, region and UTC day,
 * downloads attempted, succeeded and failed, and activations (seed 004 2.4.6
 * CH2). Layout the project's (docs/feeds.md).
 */
import { REGION_LABELS } from '../dcc/regions.js';
import { SCHEMA_DIALECT, idSchema, type JsonSchema } from './schema.js';
import { DAY_PATTERN } from './firmware-daily.js';

export const FIRMWARE_COMMS_HUB_PATH = 'feeds/firmware-comms-hub-daily.jsonl';
export const COMMS_HUB_COUNTS = ['attempts', 'successes', 'failures', 'activations', 'activationFailures'] as const;
export type CommsHubCount = (typeof COMMS_HUB_COUNTS)[number];

export type FirmwareCommsHubRecord = { day: string; campaignId: string; region: (typeof REGION_LABELS)[number] } & Record<CommsHubCount, number>;

export const firmwareCommsHubSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/firmware-comms-hub-daily.json',
  title: 'Daily Comms Hub firmware throughput (CR1423)',
  type: 'object',
  additionalProperties: false,
  required: ['day', 'campaignId', 'region', ...COMMS_HUB_COUNTS],
  properties: {
    day: { type: 'string', pattern: DAY_PATTERN },
    campaignId: idSchema,
    region: { enum: [...REGION_LABELS] },
    ...Object.fromEntries(COMMS_HUB_COUNTS.map((c) => [c, { type: 'integer', minimum: 0 }])),
  },
};

export function serializeFirmwareCommsHub(r: FirmwareCommsHubRecord): string {
  let s = `{"day":"${r.day}","campaignId":"${r.campaignId}","region":"${r.region}"`;
  for (const c of COMMS_HUB_COUNTS) s += `,"${c}":${r[c]}`;
  return s + '}';
}
