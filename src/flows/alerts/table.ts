/**
 * Alerts in flight, as parallel typed arrays indexed by a row number that
 * travels through the kernel as an event argument. Rows are recycled when a
 * journey ends, so memory follows the number of alerts in flight (a storm's
 * peak), not the number of alerts in the run.
 *
 * The rows themselves (free list, growth) are the engine's Rows.
 *
 * Times are ms since the scenario epoch; NaN means "not reached / unknown".
 */
import { Rows, type Column, type ColumnType } from '../../engine/rows.js';

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
];

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

  constructor(initialCapacity = 1024) {
    super(initialCapacity);
    this.createColumns();
  }

  protected columns() {
    return COLUMNS;
  }

  /** Take a fresh row with every time NaN. */
  alloc(): number {
    const i = this.take();
    this.code[i] = 0;
    this.dcc[i] = 0;
    this.origin[i] = 0;
    this.hub[i] = -1;
    this.device[i] = -1;
    this.region[i] = 0;
    this.user[i] = -1;
    this.cause[i] = 0;
    this.source[i] = -1;
    this.serial[i] = -1;
    this.request[i] = -1;
    this.attempts[i] = 0;
    this.throttled[i] = 0;
    this.throttledSeq[i] = 0;
    this.throttledCount[i] = 0;
    this.duisWritten[i] = 0;
    this.lostAt[i] = 0;
    this.lostReason[i] = 0;
    this.tCondition[i] = NaN;
    this.tChf[i] = NaN;
    this.tWanSent[i] = NaN;
    this.tHubStamp[i] = NaN;
    this.tCspArrival[i] = NaN;
    this.tCspDeparture[i] = NaN;
    this.tDspReceived[i] = NaN;
    this.tPassed[i] = NaN;
    this.tUserReceived[i] = NaN;
    this.tHandshake[i] = NaN;
    this.outageStart[i] = NaN;
    this.outageEnd[i] = NaN;
    return i;
  }

  /** Copy row `from` into a fresh row (a DCC Alert raised from a Device Alert). */
  clone(from: number): number {
    const i = this.alloc();
    const self = this as unknown as Record<string, Column>;
    for (const [name] of COLUMNS) self[name][i] = self[name][from];
    return i;
  }
}
