/**
 * What the log needs to know of each feed, in one table: the serialiser
 * that renders its structured records on replay (the feed module's own, the
 * one the run uses), and how the TOC receives it when replay delivers it to
 * a directory. A feed with no serialiser here is still recorded, line by
 * line as text (the generic kind); a JSONL feed joins the compact kind with
 * one line below. Cadences: the DSP and the Service Providers send alert
 * throughput data at intervals of 15 minutes (seed 000, CR1418 [B], CR1420
 * [C], CR1438 [C]; seed 001, 4.1 [B]); other data daily (seed 000, CR1421,
 * CR1440 [D]). The truths (every file outside feeds/) are no feed: nobody receives them.
 */
import {
  ALERT_THROUGHPUT_PATH,
  AVAILABILITY_EVENTS_PATH,
  FIRMWARE_COMMS_HUB_PATH,
  FIRMWARE_DAILY_PATH,
  FIRMWARE_S1SP_PATH,
  FIRMWARE_TRUTH_PATH,
  INCIDENTS_PATH,
  NO_SMWAN_INCIDENTS_PATH,
  OUTAGE_TRUTH_PATH,
  CSP_FORWARD_PATH,
  CSP_NORTH_RNI_PATH,
  DSP_AST_PATH,
  DSP_SERVICE_AUDIT_PATH,
  FEEDS_DIR,
  GROUND_TRUTH_PATH,
  REQUEST_TRUTH_PATH,
  S1SP_AUDIT_TRAIL_PATH,
  SU_DELIVERIES_PATH,
  serializeCspForward,
  serializeCspNorthRni,
  serializeDspAst,
  serializeDspServiceAudit,
  serializeGroundTruth,
  serializeRequestTruth,
  serializeS1spAuditTrail,
  serializeSuDelivery,
  serializeAvailabilityEvent,
  serializeFirmwareCommsHub,
  serializeFirmwareDaily,
  serializeFirmwareS1sp,
  serializeFirmwareTruth,
  serializeIncident,
  serializeNoSmwanIncident,
  serializeOutageTruth,
} from '../feeds/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Serialiser = (record: any) => string;

/** By path: the serialiser of a JSONL feed recorded as facts. */
export const SERIALISERS: ReadonlyMap<string, Serialiser> = new Map<string, Serialiser>([
  [CSP_NORTH_RNI_PATH, serializeCspNorthRni],
  [CSP_FORWARD_PATH, serializeCspForward],
  [S1SP_AUDIT_TRAIL_PATH, serializeS1spAuditTrail],
  [DSP_AST_PATH, serializeDspAst],
  [SU_DELIVERIES_PATH, serializeSuDelivery],
  [DSP_SERVICE_AUDIT_PATH, serializeDspServiceAudit],
  [GROUND_TRUTH_PATH, serializeGroundTruth],
  [REQUEST_TRUTH_PATH, serializeRequestTruth],
  [AVAILABILITY_EVENTS_PATH, serializeAvailabilityEvent],
  [INCIDENTS_PATH, serializeIncident],
  [NO_SMWAN_INCIDENTS_PATH, serializeNoSmwanIncident],
  [OUTAGE_TRUTH_PATH, serializeOutageTruth],
  [FIRMWARE_DAILY_PATH, serializeFirmwareDaily],
  [FIRMWARE_COMMS_HUB_PATH, serializeFirmwareCommsHub],
  [FIRMWARE_S1SP_PATH, serializeFirmwareS1sp],
  [FIRMWARE_TRUTH_PATH, serializeFirmwareTruth],
]);

export const QUARTER_HOUR_MS = 15 * 60_000;
export const DAY_MS = 24 * 3_600_000;

/** How often the TOC receives a file of the feed at `path`, in ms of UTC; 0: never delivered. */
export function cadenceOf(path: string): number {
  // Only feeds/ is what the TOC receives: the truths beside it are nobody's feed.
  if (!path.startsWith(FEEDS_DIR + '/')) return 0;
  switch (path) {
    case ALERT_THROUGHPUT_PATH:
    case CSP_NORTH_RNI_PATH:
    case CSP_FORWARD_PATH:
    case S1SP_AUDIT_TRAIL_PATH:
    case DSP_AST_PATH:
      return QUARTER_HOUR_MS;
    default:
      // su-deliveries, dsp-service-audit, each User's DUIS file, and any feed not named here.
      return DAY_MS;
  }
}
