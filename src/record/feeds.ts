/**
 * What the log needs to know of each feed: how the TOC receives it when
 * replay delivers it to a directory (every feed is recorded with no code of
 * its own: JSONL lines as facts, any other line as text). Cadences: the DSP
 * and the Service Providers send alert throughput data at intervals of 15
 * minutes (seed 000, CR1418 [B], CR1420
 * [C], CR1438 [C]; seed 001, 4.1 [B]); other data daily (seed 000, CR1421,
 * CR1440 [D]). The truths (every file outside feeds/) are no feed: nobody receives them.
 */
import { ALERT_THROUGHPUT_PATH, CSP_FORWARD_PATH, CSP_NORTH_RNI_PATH, DSP_AST_PATH, FEEDS_DIR, S1SP_AUDIT_TRAIL_PATH } from '../feeds/index.js';

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
