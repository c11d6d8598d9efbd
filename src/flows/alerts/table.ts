/**
 * Alerts in flight, indexed by a row number that travels through the kernel
 * as an event argument. Rows are recycled when a journey ends, so memory
 * follows the number of alerts in flight (a storm's peak), not the number of
 * alerts in the run.
 *
 * Two layouts of the same columns. The journey keeps its alerts in
 * AlertRows, one row after another (the engine's PackedRows): a storm holds
 * a quarter of a million alerts in the throttles, and every hop and every
 * record reads several columns of a row that has long left the cache, so a
 * row's columns are kept on the same few cache lines. The recorders read
 * AlertTable, the engine's Rows of one row (its columns views on one array,
 * Rows.oneRowOfViews): the replica each recorder call's row is copied into,
 * by name, on the feeds thread or beside the journey
 * (src/flows/alerts/recorder-ops.ts).
 *
 * Times are ms since the scenario epoch; NaN means "not reached / unknown".
 */
import { PAGE_BITS, PackedRows, Rows, type ColumnType } from '../../engine/rows.js';

export const OUTCOME_NONE = 0;
export const OUTCOME_DELIVERED = 1;
export const OUTCOME_FAILED = 2;
export const OUTCOME_REJECTED = 3;
/** Lost before reaching the DSP (no WAN at the hub, a component outage in drop mode). */
export const OUTCOME_LOST = 4;

export const OUTCOME_NAMES = ['', 'delivered', 'failed', 'rejected', 'lost'] as const;

/** Where an alert lost before the DSP was lost (`lostAt`): the hub, a CSP by region, an S1SP, the DSP. */
export const LOST_AT_HUB = 1;
/** LOST_AT_CSP + region index: cspNorth, cspCentral, cspSouth. */
export const LOST_AT_CSP = 2;
export const LOST_AT_S1SP = 5;
export const LOST_AT_DSP = 6;
/** LOST_AT_* - 1 indexes the ground truth's spelling (LOST_AT). */

/** Why (`lostReason`): a hub installed and left without SMWAN; a component outage in drop mode; a last gasp the hub could not send. */
export const LOST_NO_WAN = 1;
export const LOST_COMPONENT_OUTAGE = 2;
export const LOST_LAST_GASP_NOT_SENT = 3;
/** LOST_* - 1 indexes the ground truth's spelling (LOST_REASONS). */

/** Raiser type for alerts the Comms Hub Function raises itself (not an estate device type). */
export const CHF_RAISER = 100;

const COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['code', Uint8Array], ['dcc', Uint8Array], ['origin', Uint8Array], ['hub', Int32Array], ['device', Int32Array],
  ['region', Uint8Array], ['user', Int16Array], ['cause', Uint16Array], ['source', Float64Array], ['serial', Float64Array],
  ['request', Float64Array],
  ['attempts', Uint8Array], ['throttled', Uint8Array], ['throttledSeq', Int32Array], ['throttledCount', Int32Array],
  ['duisWritten', Uint8Array], ['lostAt', Uint8Array], ['lostReason', Uint8Array],
  ['tCondition', Float64Array], ['tChf', Float64Array], ['tWanSent', Float64Array], ['tHubStamp', Float64Array],
  ['tCspArrival', Float64Array], ['tCspDeparture', Float64Array], ['tDspReceived', Float64Array], ['tPassed', Float64Array],
  ['tUserReceived', Float64Array], ['tHandshake', Float64Array], ['outageStart', Float64Array], ['outageEnd', Float64Array],
  ['hubClockOffset', Int32Array], ['repId', Uint32Array],
];

/**
 * A column's place in an AlertRows row: COLUMNS' order (a test holds the
 * two the same). A const enum, so that the journey's reads and writes are
 * indexed by constants.
 */
export const enum C {
  code, dcc, origin, hub, device, region, user, cause, source, serial, request,
  attempts, throttled, throttledSeq, throttledCount, duisWritten, lostAt, lostReason,
  tCondition, tChf, tWanSent, tHubStamp, tCspArrival, tCspDeparture, tDspReceived, tPassed,
  tUserReceived, tHandshake, outageStart, outageEnd,
  hubClockOffset, repId,
}

/** Numbers per AlertRows row: the 32 columns on four cache lines. */
const ROW_WIDTH = 32;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/** A fresh row: no user, device, source, serial or request yet, every time NaN (as AlertTable.alloc). */
function blankRow(): Float64Array {
  const b = new Float64Array(ROW_WIDTH);
  for (const c of [C.hub, C.device, C.user, C.source, C.serial, C.request]) b[c] = -1;
  for (let c = C.tCondition; c <= C.outageEnd; c++) b[c] = NaN;
  return b;
}

/** The journey's alerts in flight, one row after another; get() and set() a column of a row. */
export class AlertRows extends PackedRows {
  constructor(initialCapacity = 1024) {
    super(ROW_WIDTH, new Map(COLUMNS.map(([name], i) => [name, i])), blankRow(), initialCapacity);
  }

  /** Take a fresh row with every time NaN. */
  alloc(): number {
    return this.take();
  }

  /** Copy row `from` into a fresh row (a DCC Alert raised from a Device Alert). */
  clone(from: number): number {
    return this.copy(from);
  }

  get(row: number, c: C): number {
    return this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * ROW_WIDTH + c];
  }

  set(row: number, c: C, v: number): void {
    this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * ROW_WIDTH + c] = v;
  }
}

/** One row of every column as parallel typed arrays: what the recorders read. */
export class AlertTable extends Rows {
  /** Index into the alert catalogue. */
  code!: Uint8Array;
  /** 1 for DCC Alerts (AD1, N-codes), 0 for Device Alerts. */
  dcc!: Uint8Array;
  /** Code index of the alert as first raised (a DCC Alert keeps the Device Alert it carries). */
  origin!: Uint8Array;
  hub!: Int32Array;
  /** Device index in the estate (the hub's ESME for AD1). */
  device!: Int32Array;
  region!: Uint8Array;
  /** Target Service User index, -1 before routing. */
  user!: Int16Array;
  /** Index of the scenario event that caused it (0 = background). */
  cause!: Uint16Array;
  /** Serial of the CSP / S1SP record it came from (feeds' sourceId), -1 if none. */
  source!: Float64Array;
  /** Serial of the DSP alert (alertId). */
  serial!: Float64Array;
  /** N12, N13: serial of the failed service request (its DUIS counter), -1 otherwise. */
  request!: Float64Array;
  attempts!: Uint8Array;
  throttled!: Uint8Array;
  throttledSeq!: Int32Array;
  throttledCount!: Int32Array;
  duisWritten!: Uint8Array;
  /** LOST_AT_* and LOST_* of an alert lost before the DSP (0 otherwise). */
  lostAt!: Uint8Array;
  lostReason!: Uint8Array;

  tCondition!: Float64Array;
  tChf!: Float64Array;
  tWanSent!: Float64Array;
  /** HubTimestamp as the SDK stamped it (NaN when missing from the record). */
  tHubStamp!: Float64Array;
  tCspArrival!: Float64Array;
  tCspDeparture!: Float64Array;
  tDspReceived!: Float64Array;
  tPassed!: Float64Array;
  /** First receipt at the User's gateway. */
  tUserReceived!: Float64Array;
  tHandshake!: Float64Array;
  /** Power outage start/end carried by AD1 and restoration alerts. */
  outageStart!: Float64Array;
  outageEnd!: Float64Array;
  /**
   * The hub's SDK clock offset (ms) and REP ID (CSP North hubs; else 0),
   * read as the alert is raised, where the simulation reads the hub anyway:
   * the recorder on the feeds thread read each from its own copy of the
   * estate, a cache miss per record.
   */
  hubClockOffset!: Int32Array;
  repId!: Uint32Array;

  constructor(initialCapacity = 1024) {
    super(initialCapacity);
    this.createColumns();
  }

  protected columns() {
    return COLUMNS;
  }
}
