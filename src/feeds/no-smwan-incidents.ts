/**
 * no-smwan-incidents.jsonl: the CSPs' 90 Day Install No SMWAN incidents
 * (seed 000, CR1429 [A], [B]: "Incident ID, Category, submit date, GUID, MPxN
 * and Diagnostics Results, Exception/Exclusion Information", received and
 * closed; [C] daily). One record per incident as the CSP knows it at the
 * run's end: the daily extract of a day is the records submitted by then. The
 * DCC matches them to the SRV 8.14.2 responses in its own audit trail
 * (dsp-service-audit.jsonl) by the hub's GUID, as CR1429 describes.
 *
 * Diagnostics results and exclusions: CR1429 names the fields, not their
 * values; the twin's values are an assumption (src/flows/outages/install-leave.ts).
 */
import { INCIDENT_CATEGORIES } from '../dcc/services.js';
import { SCHEMA_DIALECT, eui64Schema, idSchema, timestampSchema, type JsonSchema } from './schema.js';

export const NO_SMWAN_INCIDENTS_PATH = 'feeds/no-smwan-incidents.jsonl';

export const DIAGNOSTICS_RESULTS = ['noCoverage', 'marginalSignal', 'commsHubFault'] as const;
export const EXCLUSIONS = ['premisesAccess', 'outsideCoverageCommitment'] as const;
/** How a closed incident ended: SMWAN established (the hub joins Install and Commission), or confirmed without SMWAN at 90 days. */
export const NO_SMWAN_OUTCOMES = ['smwanEstablished', 'noSmwanConfirmed'] as const;

export interface NoSmwanIncidentRecord {
  incidentId: string;
  csp: 'North' | 'Central' | 'South';
  category: number;
  submitDate: string;
  /** The Comms Hub's GUID (its EUI-64). */
  GUID: string;
  /** The premises' MPAN. */
  MPxN: string;
  diagnosticsResult: (typeof DIAGNOSTICS_RESULTS)[number];
  exclusion?: (typeof EXCLUSIONS)[number];
  status: 'open' | 'closed';
  closedDate?: string;
  outcome?: (typeof NO_SMWAN_OUTCOMES)[number];
}

export const noSmwanIncidentsSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/no-smwan-incidents.json',
  title: 'One CSP 90 Day Install No SMWAN incident',
  type: 'object',
  additionalProperties: false,
  required: ['incidentId', 'csp', 'category', 'submitDate', 'GUID', 'MPxN', 'diagnosticsResult', 'status'],
  properties: {
    incidentId: idSchema,
    csp: { enum: ['North', 'Central', 'South'] },
    category: { type: 'integer', minimum: 1, maximum: INCIDENT_CATEGORIES.length },
    submitDate: timestampSchema,
    GUID: eui64Schema,
    MPxN: { type: 'string', pattern: '^[0-9]{13}$' },
    diagnosticsResult: { enum: DIAGNOSTICS_RESULTS },
    exclusion: { enum: EXCLUSIONS },
    status: { enum: ['open', 'closed'] },
    closedDate: timestampSchema,
    outcome: { enum: NO_SMWAN_OUTCOMES },
  },
};

export function serializeNoSmwanIncident(r: NoSmwanIncidentRecord): string {
  return JSON.stringify({
    incidentId: r.incidentId, csp: r.csp, category: r.category, submitDate: r.submitDate, GUID: r.GUID, MPxN: r.MPxN,
    diagnosticsResult: r.diagnosticsResult, exclusion: r.exclusion, status: r.status, closedDate: r.closedDate, outcome: r.outcome,
  });
}
