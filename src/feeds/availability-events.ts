/**
 * availability-events.jsonl: the sub-system availability events the DCC's
 * service management logs, from which the PMR's Service Availability is
 * computed (seed 004, Requirement 3: "Service downtime for each interface and
 * its supporting system components is measured in minutes"). One record per
 * event: a sub-system logged down and up again (unplanned), or a Planned
 * Maintenance window's start and end; each names the DCC Services the
 * sub-system supports, so the metrics need nothing but this file to tell
 * which services were down. An unplanned outage is logged when it is
 * detected (src/flows/outages/plan.ts), so the feed's downtime is shorter
 * than the true one (outage-truth.jsonl); one still open at the run's end has
 * no `up`.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { SCHEMA_DIALECT, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const AVAILABILITY_EVENTS_PATH = 'feeds/availability-events.jsonl';

export const AVAILABILITY_EVENT_KINDS = ['down', 'up', 'plannedMaintenanceStart', 'plannedMaintenanceEnd'] as const;
export type AvailabilityEventKind = (typeof AVAILABILITY_EVENT_KINDS)[number];

export interface AvailabilityEventRecord {
  eventId: string;
  /** The same for the two events of one outage or maintenance window. */
  outageId: string;
  timestamp: string;
  subsystem: string;
  event: AvailabilityEventKind;
  /** The DCC Services the sub-system supports, joined by `;` (empty: none, e.g. a User's gateway). */
  services: string;
  /** The outage is this region's alone (a CSP's WAN, the S1SPs). */
  region?: RegionLabel;
}

export const availabilityEventsSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/availability-events.json',
  title: 'One sub-system availability event',
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'outageId', 'timestamp', 'subsystem', 'event', 'services'],
  properties: {
    eventId: idSchema,
    outageId: idSchema,
    timestamp: timestampSchema,
    subsystem: idSchema,
    event: { enum: AVAILABILITY_EVENT_KINDS },
    services: { type: 'string' },
    region: { enum: REGION_LABELS },
  },
};

/** One JSONL line, keys in the order above (JSON.stringify leaves out the absent region). */
export function serializeAvailabilityEvent(r: AvailabilityEventRecord): string {
  return JSON.stringify({
    eventId: r.eventId, outageId: r.outageId, timestamp: r.timestamp, subsystem: r.subsystem, event: r.event, services: r.services, region: r.region,
  });
}
