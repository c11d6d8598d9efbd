/**
 * The feeds of a run, in one list: what the metrics pipeline reads and the
 * tests check. Layouts are described in docs/feeds.md; each feed's module
 * holds its schema and serializer. The DUIS bodies (duis/<UserID>.ndxml, one
 * file per User) are XML and have no JSON Schema, so they are not listed.
 */
import type { FeedKind } from './sink.js';
import type { JsonSchema } from './schema.js';
import { CSP_NORTH_RNI_PATH, cspNorthRniSchema } from './csp-north-rni.js';
import { CSP_FORWARD_PATH, cspForwardSchema } from './csp-forward.js';
import { S1SP_AUDIT_TRAIL_PATH, s1spAuditTrailSchema } from './s1sp-audit-trail.js';
import { DSP_AST_PATH, dspAstSchema } from './dsp-ast.js';
import { ALERT_THROUGHPUT_PATH, WINDOW_MS, alertThroughputRowSchema } from './alert-throughput.js';
import { SU_DELIVERIES_PATH, suDeliveriesSchema } from './su-deliveries.js';
import { GROUND_TRUTH_PATH, groundTruthSchema } from './ground-truth.js';
import { DSP_SERVICE_AUDIT_PATH, dspServiceAuditSchema } from './dsp-service-audit.js';
import { REQUEST_TRUTH_PATH, REQUEST_TRUTH_TIME_FIELDS, requestTruthSchema } from './request-truth.js';
import { AVAILABILITY_EVENTS_PATH, availabilityEventsSchema } from './availability-events.js';
import { OUTAGE_TRUTH_PATH, outageTruthSchema } from './outage-truth.js';
import { INCIDENTS_PATH, INCIDENT_TRUTH_PATH, incidentsSchema, incidentTruthSchema } from './incidents.js';
import { NO_SMWAN_INCIDENTS_PATH, noSmwanIncidentsSchema } from './no-smwan-incidents.js';
import { FIRMWARE_DAILY_PATH, firmwareDailySchema } from './firmware-daily.js';
import { FIRMWARE_COMMS_HUB_PATH, firmwareCommsHubSchema } from './firmware-comms-hub.js';
import { FIRMWARE_S1SP_PATH, firmwareS1spSchema } from './firmware-s1sp.js';
import { FIRMWARE_TRUTH_PATH, FIRMWARE_TRUTH_TIME_FIELDS, firmwareTruthSchema } from './firmware-truth.js';

export interface FeedInfo {
  name: string;
  /** Relative to the run directory. */
  path: string;
  kind: FeedKind;
  /** For JSONL, one record; for CSV, one parsed data row (see parseAlertThroughputRow). */
  schema: JsonSchema;
  description: string;
  /** False for ground-truth.jsonl, which records the true journey and is no feed. */
  isFeed: boolean;
  /** Fields whose values together identify a record: no two records of the file share them. */
  key: readonly string[];
  /**
   * Timing points stamped by one producer's clock, in the order it stamps
   * them: a later one is never before an earlier one. Points stamped by
   * different producers are not compared (their clocks may be skewed).
   */
  clocks: readonly StampClock[];
  /** How far the feed's times may lie outside the run's window (RunWindow): 0 but for whole-quarter-hour windows. */
  windowSlackMs: number;
  /** Times that are no moment of the run and may lie after it (a projected expiry). */
  notInWindow?: readonly string[];
  /** Written only by runs that have this (absent otherwise, and loaded as an empty table). */
  onlyWith?: string;
}

export interface StampClock {
  /** Who stamps the points, as a message names it: `the DSP`. */
  producer: string;
  fields: readonly string[];
}

export const FEEDS: readonly FeedInfo[] = [
  {
    name: 'csp-north-rni',
    path: CSP_NORTH_RNI_PATH,
    kind: 'jsonl',
    schema: cspNorthRniSchema,
    description: 'CSP North RNI sendMessage records (seed 001, section 4.2)',
    isFeed: true,
    key: ['responseId'],
    clocks: [], // timestamp is CSP North's, HubTimestamp the hub's
    windowSlackMs: 0,
  },
  {
    name: 'csp-forward',
    path: CSP_FORWARD_PATH,
    kind: 'jsonl',
    schema: cspForwardSchema,
    description: 'CSP Central and CSP South forward records',
    isFeed: true,
    key: ['messageId'],
    clocks: [{ producer: 'the CSP', fields: ['cspReceivedTimestamp', 'cspSentTimestamp'] }],
    windowSlackMs: 0,
  },
  {
    name: 's1sp-audit-trail',
    path: S1SP_AUDIT_TRAIL_PATH,
    kind: 'jsonl',
    schema: s1spAuditTrailSchema,
    description: 'SMETS1 Service Provider service audit trail, T1 T2 T4 T5 (seed 000, CR1438)',
    isFeed: true,
    key: ['auditId'],
    // T1 is the device's; T2 (receipt at the SMSO), T4 and T5 the S1SP's.
    clocks: [{ producer: 'the S1SP', fields: ['T2', 'T4', 'T5'] }],
    windowSlackMs: 0,
  },
  {
    name: 'dsp-ast',
    path: DSP_AST_PATH,
    kind: 'jsonl',
    schema: dspAstSchema,
    description: 'DSP Alert Supplementary Timing log (seed 001, section 4.1; seed 000, CR1418)',
    isFeed: true,
    key: ['alertId'],
    // chfReceivedTimestamp is the hub's; the CSP points are the CSP's (T2 and T5 for SMETS1).
    clocks: [
      { producer: 'the CSP', fields: ['cspReceivedTimestamp', 'cspPassedTimestamp'] },
      { producer: 'the DSP', fields: ['dspReceivedTimestamp', 'passedToServiceUserTimestamp', 'serviceUserHandshakeTimestamp'] },
    ],
    windowSlackMs: 0,
  },
  {
    name: 'alert-throughput-15min',
    path: ALERT_THROUGHPUT_PATH,
    kind: 'csv',
    schema: alertThroughputRowSchema,
    description: '15-minute alert throughput for the TOC (seed 000, CR1418 [B], CR1438 [C])',
    isFeed: true,
    key: ['windowStart', 'region', 'alertCode'],
    clocks: [{ producer: 'the DSP', fields: ['windowStart', 'windowEnd'] }],
    // Windows are whole UTC quarter hours: the first may start before the epoch, the last end after the drain.
    windowSlackMs: WINDOW_MS,
  },
  {
    name: 'su-deliveries',
    path: SU_DELIVERIES_PATH,
    kind: 'jsonl',
    schema: suDeliveriesSchema,
    description: 'Service User gateway: one record per delivery attempt',
    isFeed: true,
    key: ['deliveryId'],
    // receivedTimestamp is the gateway's; the sending and the handshake's arrival are the DSP's.
    clocks: [{ producer: 'the DSP', fields: ['sentTimestamp', 'handshakeTimestamp'] }],
    windowSlackMs: 0,
  },
  {
    name: 'dsp-service-audit',
    path: DSP_SERVICE_AUDIT_PATH,
    kind: 'jsonl',
    schema: dspServiceAuditSchema,
    description: 'DSP service audit trail of Service Requests (seed 004, 2.3.1 RSVP)',
    isFeed: true,
    key: ['requestId'],
    clocks: [
      {
        producer: 'the DSP',
        fields: ['receivedFromUserTimestamp', 'sentToProviderTimestamp', 'lastSentToProviderTimestamp', 'responseReceivedTimestamp', 'responseSentTimestamp'],
      },
    ],
    windowSlackMs: 0,
    // The execution time a User gives a future-dated request is a time it asks for, not a moment the DSP stamps.
    notInWindow: ['executionTimestamp'],
  },
  {
    name: 'ground-truth',
    path: GROUND_TRUTH_PATH,
    kind: 'jsonl',
    schema: groundTruthSchema,
    description: 'true time of every hop of every DSP alert, and the alerts lost before the DSP; not a feed',
    isFeed: false,
    key: ['alertId'],
    clocks: [
      {
        producer: 'the true clock',
        fields: [
          'trueConditionTimestamp',
          'trueChfReceivedTimestamp',
          'trueWanSentTimestamp',
          'trueCspArrivalTimestamp',
          'trueCspDepartureTimestamp',
          'trueDspReceivedTimestamp',
          'truePassedToServiceUserTimestamp',
          'trueServiceUserReceivedTimestamp',
          'trueHandshakeTimestamp',
        ],
      },
    ],
    windowSlackMs: 0,
    // When the failed queue will discard the alert: entry plus the retention, within the run or after it.
    notInWindow: ['trueFailedQueueExpiryTimestamp'],
  },
  {
    name: 'request-truth',
    path: REQUEST_TRUTH_PATH,
    kind: 'jsonl',
    schema: requestTruthSchema,
    description: 'true time of every hop of every Service Request; not a feed',
    isFeed: false,
    key: ['requestId'],
    clocks: [{ producer: 'the true clock', fields: REQUEST_TRUTH_TIME_FIELDS }],
    windowSlackMs: 0,
  },
  {
    name: 'availability-events',
    path: AVAILABILITY_EVENTS_PATH,
    kind: 'jsonl',
    schema: availabilityEventsSchema,
    description: 'Sub-system availability events: down, up, planned maintenance start and end (seed 004, Requirement 3)',
    isFeed: true,
    key: ['eventId'],
    clocks: [],
    windowSlackMs: 0,
  },
  {
    name: 'incidents',
    path: INCIDENTS_PATH,
    kind: 'jsonl',
    schema: incidentsSchema,
    description: 'Remedy incidents by category and resolver group, as known at the run end (seed 000, CR1420; seed 004, Requirement 5)',
    isFeed: true,
    key: ['incidentId'],
    clocks: [{ producer: 'Remedy', fields: ['openedTimestamp', 'resolvedTimestamp', 'closedTimestamp'] }],
    windowSlackMs: 0,
  },
  {
    name: 'no-smwan-incidents',
    path: NO_SMWAN_INCIDENTS_PATH,
    kind: 'jsonl',
    schema: noSmwanIncidentsSchema,
    description: "CSPs' 90 Day Install No SMWAN incidents (seed 000, CR1429)",
    isFeed: true,
    key: ['incidentId'],
    clocks: [{ producer: 'the CSP', fields: ['submitDate', 'closedDate'] }],
    windowSlackMs: 0,
  },
  {
    name: 'outage-truth',
    path: OUTAGE_TRUTH_PATH,
    kind: 'jsonl',
    schema: outageTruthSchema,
    description: 'every outage and maintenance window as it happened; not a feed',
    isFeed: false,
    key: ['outageId'],
    clocks: [{ producer: 'the true clock', fields: ['trueStartTimestamp', 'detectedTimestamp', 'trueEndTimestamp'] }],
    windowSlackMs: 0,
    // An outage still on at the run's end ends later, and may be detected later.
    notInWindow: ['trueEndTimestamp', 'detectedTimestamp'],
  },
  {
    name: 'incident-truth',
    path: INCIDENT_TRUTH_PATH,
    kind: 'jsonl',
    schema: incidentTruthSchema,
    description: 'every incident of the run with its whole life, after the run included; not a feed',
    isFeed: false,
    key: ['incidentId'],
    clocks: [{ producer: 'the true clock', fields: ['openedTimestamp', 'resolvedTimestamp', 'closedTimestamp'] }],
    windowSlackMs: 0,
    notInWindow: ['initialResponseTimestamp', 'resolvedTimestamp', 'closedTimestamp'],
  },
  {
    name: 'firmware-daily',
    path: FIRMWARE_DAILY_PATH,
    kind: 'jsonl',
    schema: firmwareDailySchema,
    description: 'daily firmware throughput per campaign, region and device type (seed 000, CR1421, CR1440)',
    isFeed: true,
    key: ['day', 'campaignId', 'region', 'deviceType'],
    clocks: [], // counts per UTC day, no timestamps
    windowSlackMs: 0,
    onlyWith: 'a firmwareCampaign event',
  },
  {
    name: 'firmware-comms-hub-daily',
    path: FIRMWARE_COMMS_HUB_PATH,
    kind: 'jsonl',
    schema: firmwareCommsHubSchema,
    description: 'daily Comms Hub firmware attempts, successes and activations (seed 000, CR1423)',
    isFeed: true,
    key: ['day', 'campaignId', 'region'],
    clocks: [],
    windowSlackMs: 0,
    onlyWith: 'a firmwareCampaign event',
  },
  {
    name: 'firmware-s1sp',
    path: FIRMWARE_S1SP_PATH,
    kind: 'jsonl',
    schema: firmwareS1spSchema,
    description: 'SMETS1 firmware upload and activation per device, success and round trip (seed 000, CR1440)',
    isFeed: true,
    key: ['recordId'],
    // The request's receipt is the DSP's hand-over as the S1SP saw it; the report the S1SP's.
    clocks: [{ producer: 'the S1SP', fields: ['requestReceivedTimestamp', 'reportedTimestamp'] }],
    windowSlackMs: 0,
    onlyWith: 'a firmwareCampaign event',
  },
  {
    name: 'firmware-truth',
    path: FIRMWARE_TRUTH_PATH,
    kind: 'jsonl',
    schema: firmwareTruthSchema,
    description: 'true firmware journey of every targeted device; not a feed',
    isFeed: false,
    key: ['targetId'],
    // Each step follows the one before it.
    clocks: [{ producer: 'the true clock', fields: [...FIRMWARE_TRUTH_TIME_FIELDS] }],
    windowSlackMs: 0,
    onlyWith: 'a firmwareCampaign event',
  },
];

/** The entry called `name`; throws if there is none. */
export function feed(name: string): FeedInfo {
  const f = FEEDS.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no feed called ${JSON.stringify(name)}; known: ${FEEDS.map((x) => x.name).join(', ')}`);
  return f;
}

/** The feeds' timestamp format is the DCC's (src/dcc/time.ts). */
export { formatTimestamp, parseTimestamp, TIMESTAMP_PATTERN } from '../dcc/time.js';
export * from './window.js';
export * from './sink.js';
export * from './bytes.js';
export * from './schema.js';
export * from './csp-north-rni.js';
export * from './csp-forward.js';
export * from './s1sp-audit-trail.js';
export * from './dsp-ast.js';
export * from './alert-throughput.js';
export * from './su-deliveries.js';
export * from './ground-truth.js';
export * from './dsp-service-audit.js';
export * from './request-truth.js';
export * from './firmware-daily.js';
export * from './firmware-comms-hub.js';
export * from './firmware-s1sp.js';
export * from './firmware-truth.js';
export * from './duis.js';
export * from './availability-events.js';
export * from './outage-truth.js';
export * from './incidents.js';
export * from './no-smwan-incidents.js';
