/**
 * firmware-s1sp.jsonl: what each SMETS1 Service Provider reports of firmware
 * per device (seed 000, CR1440 [B], [C]): the success or failure and round
 * trip time of the image's upload to each device (Comms Hubs included) and of
 * its activation. One record per device and stage; the round trip runs from
 * the S1SP's receipt of the request to its report. Layout the project's.
 */
import { SCHEMA_DIALECT, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const FIRMWARE_S1SP_PATH = 'feeds/firmware-s1sp.jsonl';

export interface FirmwareS1spRecord {
  recordId: string;
  s1sp: string;
  campaignId: string;
  deviceId: string;
  deviceType: 'ESME' | 'GSME' | 'PPMID' | 'CH';
  stage: 'upload' | 'activation';
  requestReceivedTimestamp: string;
  reportedTimestamp: string;
  outcome: 'success' | 'failure';
  roundTripMs: number;
}

export const firmwareS1spSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/firmware-s1sp.json',
  title: 'SMETS1 firmware upload and activation per device (CR1440)',
  type: 'object',
  additionalProperties: false,
  required: ['recordId', 's1sp', 'campaignId', 'deviceId', 'deviceType', 'stage', 'requestReceivedTimestamp', 'reportedTimestamp', 'outcome', 'roundTripMs'],
  properties: {
    recordId: idSchema,
    s1sp: { type: 'string', pattern: '^S1SP-[1-9][0-9]*$' },
    campaignId: idSchema,
    deviceId: eui64Schema,
    deviceType: { enum: ['ESME', 'GSME', 'PPMID', 'CH'] },
    stage: { enum: ['upload', 'activation'] },
    requestReceivedTimestamp: timestampSchema,
    reportedTimestamp: timestampSchema,
    outcome: { enum: ['success', 'failure'] },
    roundTripMs: { type: 'integer', minimum: 0 },
  },
};

export function serializeFirmwareS1sp(r: FirmwareS1spRecord): string {
  return (
    `{"recordId":"${r.recordId}","s1sp":"${r.s1sp}","campaignId":"${r.campaignId}","deviceId":"${r.deviceId}","deviceType":"${r.deviceType}",` +
    `"stage":"${r.stage}","requestReceivedTimestamp":"${r.requestReceivedTimestamp}","reportedTimestamp":"${r.reportedTimestamp}","outcome":"${r.outcome}","roundTripMs":${r.roundTripMs}}`
  );
}
