/**
 * Alerts in flight, as parallel typed arrays indexed by a row number that
 * travels through the kernel as an event argument. Rows are recycled when a
 * journey ends, so memory follows the number of alerts in flight (a storm's
 * peak), not the number of alerts in the run.
 *
 * Times are ms since the scenario epoch; NaN means "not reached / unknown".
 */

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

export class AlertTable {
  capacity: number;
  size = 0;
  private free: Int32Array;
  private freeCount = 0;
  private high = 0;

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
    this.capacity = Math.max(16, initialCapacity);
    this.free = new Int32Array(this.capacity);
    this.allocate(this.capacity, null);
  }

  /** Take a fresh row with every time NaN. */
  alloc(): number {
    let i: number;
    if (this.freeCount > 0) i = this.free[--this.freeCount];
    else {
      if (this.high === this.capacity) this.grow();
      i = this.high++;
    }
    this.size++;
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
    for (const a of this.columns()) a[i] = a[from];
    return i;
  }

  release(i: number): void {
    this.size--;
    this.free[this.freeCount++] = i;
  }

  /** Peak rows in use since creation. */
  get highWater(): number {
    return this.high;
  }

  private columns(): Array<Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array> {
    return [
      this.code, this.dcc, this.origin, this.hub, this.device, this.region, this.user, this.cause, this.source, this.serial,
      this.attempts, this.throttled, this.throttledSeq, this.throttledCount, this.duisWritten, this.lostAt, this.lostReason,
      this.tCondition, this.tChf, this.tWanSent, this.tHubStamp, this.tCspArrival, this.tCspDeparture,
      this.tDspReceived, this.tPassed, this.tUserReceived, this.tHandshake, this.outageStart, this.outageEnd,
    ];
  }

  private grow(): void {
    const n = this.capacity * 2;
    const next = new Int32Array(n);
    next.set(this.free);
    this.free = next;
    this.allocate(n, this);
    this.capacity = n;
  }

  private allocate(n: number, old: AlertTable | null): void {
    const mk = <T extends Uint8Array | Int16Array | Uint16Array | Int32Array | Float64Array>(
      C: new (n: number) => T,
      prev: T | undefined,
    ): T => {
      const a = new C(n);
      if (prev) a.set(prev);
      return a;
    };
    this.code = mk(Uint8Array, old?.code);
    this.dcc = mk(Uint8Array, old?.dcc);
    this.origin = mk(Uint8Array, old?.origin);
    this.hub = mk(Int32Array, old?.hub);
    this.device = mk(Int32Array, old?.device);
    this.region = mk(Uint8Array, old?.region);
    this.user = mk(Int16Array, old?.user);
    this.cause = mk(Uint16Array, old?.cause);
    this.source = mk(Float64Array, old?.source);
    this.serial = mk(Float64Array, old?.serial);
    this.attempts = mk(Uint8Array, old?.attempts);
    this.throttled = mk(Uint8Array, old?.throttled);
    this.throttledSeq = mk(Int32Array, old?.throttledSeq);
    this.throttledCount = mk(Int32Array, old?.throttledCount);
    this.duisWritten = mk(Uint8Array, old?.duisWritten);
    this.lostAt = mk(Uint8Array, old?.lostAt);
    this.lostReason = mk(Uint8Array, old?.lostReason);
    this.tCondition = mk(Float64Array, old?.tCondition);
    this.tChf = mk(Float64Array, old?.tChf);
    this.tWanSent = mk(Float64Array, old?.tWanSent);
    this.tHubStamp = mk(Float64Array, old?.tHubStamp);
    this.tCspArrival = mk(Float64Array, old?.tCspArrival);
    this.tCspDeparture = mk(Float64Array, old?.tCspDeparture);
    this.tDspReceived = mk(Float64Array, old?.tDspReceived);
    this.tPassed = mk(Float64Array, old?.tPassed);
    this.tUserReceived = mk(Float64Array, old?.tUserReceived);
    this.tHandshake = mk(Float64Array, old?.tHandshake);
    this.outageStart = mk(Float64Array, old?.outageStart);
    this.outageEnd = mk(Float64Array, old?.outageEnd);
  }
}
