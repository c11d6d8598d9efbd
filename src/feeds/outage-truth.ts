/**
 * outage-truth.jsonl: every outage and maintenance window as it happened.
 * Not a feed (kept out of feeds/, like ground-truth.jsonl): the true start
 * and end, where the feed has the time it was logged down
 * (availability-events.jsonl), and the outages nobody logged (restored
 * before detection). The metrics compute Service Availability from it and
 * from the feed with the same SQL, and score the traffic-based outage
 * detection of seed 004 section 3.2.3 against it. An end after the run is
 * given (the plan knows it), and is no moment of the run.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const OUTAGE_TRUTH_PATH = 'outage-truth.jsonl';

export const OUTAGE_CAUSES = ['componentOutage', 'serviceUserOutage', 'subsystemOutage', 'plannedMaintenance', 'random'] as const;

export interface OutageTruthRecord {
  outageId: string;
  subsystem: string;
  /** As in availability-events.jsonl: the services, joined by `;`. */
  services: string;
  region?: RegionLabel;
  planned: boolean;
  cause: (typeof OUTAGE_CAUSES)[number];
  trueStartTimestamp: string;
  trueEndTimestamp: string;
  /** When it was logged down; absent: never (restored first, or after the run). */
  detectedTimestamp?: string;
  label?: string;
}

export const outageTruthSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/outage-truth.json',
  title: 'One outage as it happened',
  type: 'object',
  additionalProperties: false,
  required: ['outageId', 'subsystem', 'services', 'planned', 'cause', 'trueStartTimestamp', 'trueEndTimestamp'],
  properties: {
    outageId: idSchema,
    subsystem: idSchema,
    services: { type: 'string' },
    region: { enum: REGION_LABELS },
    planned: { type: 'boolean' },
    cause: { enum: OUTAGE_CAUSES },
    trueStartTimestamp: timestampSchema,
    trueEndTimestamp: timestampSchema,
    detectedTimestamp: timestampSchema,
    label: { type: 'string' },
  },
};

export function serializeOutageTruth(r: OutageTruthRecord): string {
  return JSON.stringify({
    outageId: r.outageId, subsystem: r.subsystem, services: r.services, region: r.region, planned: r.planned, cause: r.cause,
    trueStartTimestamp: r.trueStartTimestamp, trueEndTimestamp: r.trueEndTimestamp, detectedTimestamp: r.detectedTimestamp, label: r.label,
  });
}
