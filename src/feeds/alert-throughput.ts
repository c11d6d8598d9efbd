/**
 * alert-throughput-15min.csv: the DSP's alert throughput for the TOC at
 * 15-minute intervals (CR1418 [B] for the DSP, CR1438 [C] for the Service
 * Providers; seed 000, 000_c69a0be2345f4acb.txt). One row per window, region
 * and alert code that saw at least one alert received by the DSP; an alert
 * belongs to the window in which the DSP received it.
 */
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import type { FeedWriter } from './sink.js';
import { floorMod } from '../engine/modulo.js';
import { SCHEMA_DIALECT, alertCodeSchema, timestampSchema, type JsonSchema } from './schema.js';
import { formatTimestamp } from '../dcc/time.js';
import type { DspOutcome } from './dsp-ast.js';

export const ALERT_THROUGHPUT_PATH = 'feeds/alert-throughput-15min.csv';

/** CR1418 [B]: "at intervals of 15 minutes". Windows align to UTC quarter hours. */
export const WINDOW_MS = 15 * 60_000;

export const ALERT_THROUGHPUT_COLUMNS = [
  'windowStart',
  'windowEnd',
  'region',
  'alertCode',
  'receivedByDsp',
  'passedToServiceUser',
  'handshakeReceived',
  'throttled',
  'failed',
  'rejected',
  'meanHubToCspMs',
  'meanCspToDspMs',
  'meanDspToServiceUserMs',
  'meanHandshakeMs',
  'maxEndToEndMs',
] as const;

export const ALERT_THROUGHPUT_HEADER = ALERT_THROUGHPUT_COLUMNS.join(',');

/** A row as the metrics pipeline reads it; an empty cell is null. */
export interface AlertThroughputRow {
  windowStart: string;
  windowEnd: string;
  region: RegionLabel;
  alertCode: string;
  receivedByDsp: number;
  passedToServiceUser: number;
  handshakeReceived: number;
  throttled: number;
  failed: number;
  rejected: number;
  meanHubToCspMs: number | null;
  meanCspToDspMs: number | null;
  meanDspToServiceUserMs: number | null;
  meanHandshakeMs: number | null;
  maxEndToEndMs: number | null;
}

const count = { type: 'integer', minimum: 0 } as const;
const optMs = { anyOf: [{ type: 'integer' }, { type: 'null' }] } as const;

/** JSON Schema for a parsed row (see parseAlertThroughputRow). */
export const alertThroughputRowSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: 'https://dcc-twin.local/schemas/alert-throughput-15min.json',
  title: '15-minute alert throughput row',
  type: 'object',
  additionalProperties: false,
  required: [...ALERT_THROUGHPUT_COLUMNS],
  properties: {
    windowStart: timestampSchema,
    windowEnd: timestampSchema,
    region: { enum: REGION_LABELS },
    alertCode: alertCodeSchema,
    receivedByDsp: { type: 'integer', minimum: 1 },
    passedToServiceUser: count,
    handshakeReceived: count,
    throttled: count,
    failed: count,
    rejected: count,
    meanHubToCspMs: optMs,
    meanCspToDspMs: optMs,
    meanDspToServiceUserMs: optMs,
    meanHandshakeMs: optMs,
    maxEndToEndMs: optMs,
  },
};

const cell = (v: number | null): string => (v === null ? '' : String(v));

/** One CSV line (no quoting: regions, alert codes and timestamps never hold commas or quotes). */
export function serializeAlertThroughputRow(r: AlertThroughputRow): string {
  return `${r.windowStart},${r.windowEnd},${r.region},${r.alertCode},${r.receivedByDsp},${r.passedToServiceUser},${r.handshakeReceived},${r.throttled},${r.failed},${r.rejected},${cell(r.meanHubToCspMs)},${cell(r.meanCspToDspMs)},${cell(r.meanDspToServiceUserMs)},${cell(r.meanHandshakeMs)},${cell(r.maxEndToEndMs)}`;
}

const INTEGER_RE = /^-?(0|[1-9][0-9]*)$/;

/**
 * The row object for one CSV data line: counts and milliseconds as integers,
 * an empty cell as null. Throws an Error saying which column is wrong; the
 * caller adds the file and line. Validate the result with
 * alertThroughputRowSchema for ranges and enums.
 */
export function parseAlertThroughputRow(line: string): AlertThroughputRow {
  const cells = line.split(',');
  if (cells.length !== ALERT_THROUGHPUT_COLUMNS.length) {
    throw new Error(`expected ${ALERT_THROUGHPUT_COLUMNS.length} columns, found ${cells.length}`);
  }
  const int = (i: number, emptyOk: boolean): number | null => {
    const c = cells[i];
    if (c === '' && emptyOk) return null;
    if (!INTEGER_RE.test(c)) throw new Error(`column ${ALERT_THROUGHPUT_COLUMNS[i]}: ${JSON.stringify(c)} is not an integer`);
    return Number(c);
  };
  return {
    windowStart: cells[0],
    windowEnd: cells[1],
    region: cells[2] as RegionLabel,
    alertCode: cells[3],
    receivedByDsp: int(4, false)!,
    passedToServiceUser: int(5, false)!,
    handshakeReceived: int(6, false)!,
    throttled: int(7, false)!,
    failed: int(8, false)!,
    rejected: int(9, false)!,
    meanHubToCspMs: int(10, true),
    meanCspToDspMs: int(11, true),
    meanDspToServiceUserMs: int(12, true),
    meanHandshakeMs: int(13, true),
    maxEndToEndMs: int(14, true),
  };
}

/** Running totals for one window, region and alert code. */
class Tally {
  received = 0;
  passed = 0;
  handshake = 0;
  throttled = 0;
  failed = 0;
  rejected = 0;
  hubToCspSum = 0;
  hubToCspN = 0;
  cspToDspSum = 0;
  cspToDspN = 0;
  dspToSuSum = 0;
  dspToSuN = 0;
  handshakeSum = 0;
  handshakeN = 0;
  maxEndToEnd = -Infinity;
}

/** A mean rounded to whole milliseconds (halves up), null when there is nothing to average. */
function mean(sum: number, n: number): number | null {
  return n === 0 ? null : Math.round(sum / n);
}

/**
 * Builds the 15-minute rows from completed alerts and writes them in order
 * (window, then region in PMR order North, Central, South, SMETS1, then alert
 * code). Alerts are recorded when their journey ends, possibly well after
 * the DSP received them, so a window's rows are written only once the
 * simulation clock has passed its end plus `settleMs` (advance), and every
 * remaining row on close. Memory is bounded by the windows still open.
 *
 * An alert whose journey ended more than the settle time after its window
 * did cannot be added to its row; it is counted in `late` and left out. That
 * is decided by the alert's own end time, not by whether advance() has
 * written the window yet: when advance() is called (a run calls it as the
 * simulated clock passes each window's end, src/twin.ts) must not change
 * the file.
 * All times are Unix milliseconds (UTC); NaN marks a point the alert did not
 * reach or that is not known.
 */
export class AlertThroughputWindows {
  /** Alerts that arrived for windows already written. */
  late = 0;
  /** Rows written. */
  rows = 0;
  private readonly windows = new Map<number, Map<RegionLabel, Map<string, Tally>>>();
  /** Windows starting before this have been written. */
  private writtenUpTo = -Infinity;
  private closed = false;

  constructor(
    private readonly out: FeedWriter,
    /** How long after a window's end its alerts may still be recorded (ms). */
    readonly settleMs: number = 3_600_000,
  ) {
    if (!(settleMs >= 0)) throw new RangeError(`settleMs must be a non-negative number of milliseconds, not ${settleMs}`);
    out.write(ALERT_THROUGHPUT_HEADER);
  }

  /**
   * One alert whose journey has ended at `endedAt`. `chfReceived`,
   * `cspReceived`, `passedToServiceUser` and `handshake` may be NaN;
   * `dspReceived` may not.
   */
  add(
    region: RegionLabel,
    alertCode: string,
    chfReceived: number,
    cspReceived: number,
    dspReceived: number,
    passedToServiceUser: number,
    handshake: number,
    outcome: DspOutcome,
    throttled: boolean,
    endedAt: number,
  ): void {
    if (this.closed) throw new Error('AlertThroughputWindows: add after close');
    if (!Number.isFinite(dspReceived)) throw new RangeError(`alert ${alertCode} in ${region} has no DSP receipt time`);
    const start = dspReceived - floorMod(dspReceived, WINDOW_MS);
    if (start < this.writtenUpTo || endedAt - this.settleMs - WINDOW_MS > start) {
      this.late++;
      return;
    }
    let byRegion = this.windows.get(start);
    if (byRegion === undefined) {
      byRegion = new Map();
      this.windows.set(start, byRegion);
    }
    let byCode = byRegion.get(region);
    if (byCode === undefined) {
      byCode = new Map();
      byRegion.set(region, byCode);
    }
    let t = byCode.get(alertCode);
    if (t === undefined) {
      t = new Tally();
      byCode.set(alertCode, t);
    }
    t.received++;
    if (throttled) t.throttled++;
    if (outcome === 'failed') t.failed++;
    else if (outcome === 'rejected') t.rejected++;
    if (cspReceived === cspReceived) {
      if (chfReceived === chfReceived) {
        t.hubToCspSum += cspReceived - chfReceived;
        t.hubToCspN++;
      }
      t.cspToDspSum += dspReceived - cspReceived;
      t.cspToDspN++;
    }
    if (passedToServiceUser === passedToServiceUser) {
      t.passed++;
      t.dspToSuSum += passedToServiceUser - dspReceived;
      t.dspToSuN++;
      if (handshake === handshake) {
        t.handshakeSum += handshake - passedToServiceUser;
        t.handshakeN++;
      }
    }
    if (handshake === handshake) {
      t.handshake++;
      const from = chfReceived === chfReceived ? chfReceived : cspReceived === cspReceived ? cspReceived : dspReceived;
      if (handshake - from > t.maxEndToEnd) t.maxEndToEnd = handshake - from;
    }
  }

  /** Writes every window that ended at least `settleMs` before `now` (Unix ms). */
  advance(now: number): void {
    const cut = now - this.settleMs - WINDOW_MS; // windows starting at or before this are settled
    if (cut < this.writtenUpTo) return;
    this.flushBefore(cut - floorMod(cut, WINDOW_MS) + WINDOW_MS);
  }

  /** Writes every remaining window; nothing may be added afterwards. */
  close(): void {
    if (this.closed) return;
    this.flushBefore(Infinity);
    this.closed = true;
  }

  /** Windows held in memory. */
  get openWindows(): number {
    return this.windows.size;
  }

  /** Writes, in order, the windows that start before `limit` and marks everything before it as written. */
  private flushBefore(limit: number): void {
    if (this.windows.size > 0) {
      const starts: number[] = [];
      for (const s of this.windows.keys()) if (s < limit) starts.push(s);
      starts.sort((a, b) => a - b);
      for (const s of starts) {
        this.writeWindow(s, this.windows.get(s)!);
        this.windows.delete(s);
      }
    }
    if (limit > this.writtenUpTo) this.writtenUpTo = limit;
  }

  private writeWindow(start: number, byRegion: Map<RegionLabel, Map<string, Tally>>): void {
    const ws = formatTimestamp(start);
    const we = formatTimestamp(start + WINDOW_MS);
    for (const region of REGION_LABELS) {
      const byCode = byRegion.get(region);
      if (byCode === undefined) continue;
      const codes = [...byCode.keys()].sort();
      for (const code of codes) {
        const t = byCode.get(code)!;
        this.out.write(
          serializeAlertThroughputRow({
            windowStart: ws,
            windowEnd: we,
            region,
            alertCode: code,
            receivedByDsp: t.received,
            passedToServiceUser: t.passed,
            handshakeReceived: t.handshake,
            throttled: t.throttled,
            failed: t.failed,
            rejected: t.rejected,
            meanHubToCspMs: mean(t.hubToCspSum, t.hubToCspN),
            meanCspToDspMs: mean(t.cspToDspSum, t.cspToDspN),
            meanDspToServiceUserMs: mean(t.dspToSuSum, t.dspToSuN),
            meanHandshakeMs: mean(t.handshakeSum, t.handshakeN),
            maxEndToEndMs: t.handshake === 0 ? null : t.maxEndToEnd,
          }),
        );
        this.rows++;
      }
    }
  }
}
