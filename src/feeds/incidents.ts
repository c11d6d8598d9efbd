/**
 * incidents.jsonl: the Remedy incidents of the run (seed 000, CR1420 [A]:
 * "All Incidents logged in Remedy shall be reported by Category ... the
 * number that met the Target Initial Response Time and the number that met
 * the Target Resolution Time, broken down by Resolver Group"). One record per
 * incident opened in the run, as known at the run's end: an incident not yet
 * responded to, resolved or closed lacks those stamps, and its status says
 * where it stands. Each carries its category's targets, so the metrics need
 * no policy table. incident-truth.jsonl (not a feed) holds the same incidents
 * with the stamps they got after the run too.
 */
import { INCIDENT_CATEGORIES, RESOLVER_GROUPS, SMETS_GENERATIONS, type IncidentCategory, type ResolverGroup, type SmetsGeneration } from '../dcc/services.js';
import { SCHEMA_DIALECT, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const INCIDENTS_PATH = 'feeds/incidents.jsonl';
export const INCIDENT_TRUTH_PATH = 'incident-truth.jsonl';

/** What raised the incident: an outage of a sub-system or gateway, a power outage, or another failure. */
export const INCIDENT_SOURCES = ['outage', 'powerOutage', 'other'] as const;
export const INCIDENT_STATUSES = ['open', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentRecord {
  incidentId: string;
  category: IncidentCategory;
  resolverGroup: ResolverGroup;
  smets: SmetsGeneration;
  source: (typeof INCIDENT_SOURCES)[number];
  /** The outage that raised it (outage-truth.jsonl, availability-events.jsonl). */
  outageId?: string;
  subsystem?: string;
  targetInitialResponseMs: number;
  targetResolutionMs: number;
  openedTimestamp: string;
  initialResponseTimestamp?: string;
  resolvedTimestamp?: string;
  closedTimestamp?: string;
  status: IncidentStatus;
}

export const incidentsSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/incidents.json',
  title: 'One Remedy incident',
  type: 'object',
  additionalProperties: false,
  required: ['incidentId', 'category', 'resolverGroup', 'smets', 'source', 'targetInitialResponseMs', 'targetResolutionMs', 'openedTimestamp', 'status'],
  properties: {
    incidentId: idSchema,
    category: { type: 'integer', minimum: 1, maximum: INCIDENT_CATEGORIES.length },
    resolverGroup: { enum: RESOLVER_GROUPS },
    smets: { enum: SMETS_GENERATIONS },
    source: { enum: INCIDENT_SOURCES },
    outageId: idSchema,
    subsystem: idSchema,
    targetInitialResponseMs: { type: 'integer', minimum: 1 },
    targetResolutionMs: { type: 'integer', minimum: 1 },
    openedTimestamp: timestampSchema,
    initialResponseTimestamp: timestampSchema,
    resolvedTimestamp: timestampSchema,
    closedTimestamp: timestampSchema,
    status: { enum: INCIDENT_STATUSES },
  },
};

/** The truth has the same layout, every stamp given. */
export const incidentTruthSchema: JsonSchema = { ...incidentsSchema, $id: 'https://dcc-twin.local/schemas/incident-truth.json', title: 'One incident, its whole life' };

export function serializeIncident(r: IncidentRecord): string {
  return JSON.stringify({
    incidentId: r.incidentId, category: r.category, resolverGroup: r.resolverGroup, smets: r.smets, source: r.source, outageId: r.outageId, subsystem: r.subsystem,
    targetInitialResponseMs: r.targetInitialResponseMs, targetResolutionMs: r.targetResolutionMs, openedTimestamp: r.openedTimestamp,
    initialResponseTimestamp: r.initialResponseTimestamp, resolvedTimestamp: r.resolvedTimestamp, closedTimestamp: r.closedTimestamp, status: r.status,
  });
}
