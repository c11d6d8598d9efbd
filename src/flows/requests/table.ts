/**
 * Service requests in flight, indexed by a row number that travels through
 * the kernel with the row's generation (so an event for a journey that has
 * already ended, e.g. answered E212 by the DSP's timeout, is recognised and
 * ignored). Rows are recycled when a journey ends: memory follows the
 * requests in flight, not the run's.
 *
 * Two layouts of the same columns, as the alerts have them
 * (src/flows/alerts/table.ts). The journey keeps its requests in
 * InFlightRequests, one row after another (the engine's PackedRows): every
 * hop reads and writes several columns of a row, and the recorder's
 * snapshot of an answered request copies nearly all 47, which as parallel
 * arrays were 47 cache lines a request, as a packed row six. The recorder
 * reads RequestTable, parallel typed arrays: the one-row replica each
 * recorder call's row is restored into (src/flows/requests/recorder-ops.ts).
 *
 * Times are ms since the scenario epoch; NaN means "not reached".
 */
import { PAGE_BITS, PackedRows, Rows, type ColumnType } from '../../engine/rows.js';
import { SMETS1 } from '../../dcc/regions.js';

export const TIMING_ON_DEMAND = 0;
export const TIMING_FUTURE_DATED = 1;
export const TIMING_SCHEDULED = 2;

/**
 * A request's provider (the `provider` column): the CSP of its region, or
 * for SMETS1 the S1SP of its hub (`s1sp`; read only for SMETS1), after the
 * `cspCount` CSPs.
 */
export function providerIndex(region: number, s1sp: number, cspCount: number): number {
  return region === SMETS1 ? cspCount + s1sp : region;
}

/** The S1SP of a SMETS1 request's provider (providerIndex's inverse). */
export function s1spOfProvider(provider: number, cspCount: number): number {
  return provider - cspCount;
}

/** The time columns: NaN until the journey reaches each point. */
export const TIME_COLUMNS = [
  'tSent', 'tDspReceived', 'tClock', 'tExecute', 'deadline', 'tSentToProvider', 'tLastSentToProvider', 'tProviderReceived',
  'tProviderSent', 'tHubReceived', 'tDeviceReceived', 'tDeviceResponded', 'tHubResponseSent', 'tProviderResponse', 'tProviderResponseSent', 'tDspResponse', 'tResponseSent', 'tUserReceived',
] as const;

const COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['gen', Uint32Array], ['srv', Uint8Array], ['timing', Uint8Array], ['hub', Int32Array], ['device', Int32Array], ['region', Uint8Array],
  ['user', Int16Array], ['days', Uint16Array], ['attempts', Uint8Array], ['code', Uint8Array], ['gbtBlocks', Int32Array],
  ['blocksLeft', Int32Array], ['packetsLeft', Int32Array], ['gbtPackets', Int32Array], ['timeout', Float64Array], ['serial', Float64Array], ['source', Float64Array],
  ['failureAlert', Uint8Array], ['failureAlertSerial', Float64Array],
  ['process', Uint8Array], ['processSerial', Float64Array], ['step', Uint16Array], ['userAttempt', Uint16Array], ['notWaited', Uint8Array], ['owner', Int32Array],
  ['provider', Uint16Array], ['deviceType', Int16Array], ['hubClockOffset', Int32Array], ['repId', Uint32Array],
  ...TIME_COLUMNS.map((name) => [name, Float64Array] as const),
];

/**
 * A column's place in an InFlightRequests row: COLUMNS' order (a test holds
 * the two the same). A const enum, so that the journey's reads and writes
 * are indexed by constants.
 */
export const enum Q {
  gen, srv, timing, hub, device, region, user, days, attempts, code, gbtBlocks,
  blocksLeft, packetsLeft, gbtPackets, timeout, serial, source,
  failureAlert, failureAlertSerial,
  process, processSerial, step, userAttempt, notWaited, owner,
  provider, deviceType, hubClockOffset, repId,
  tSent, tDspReceived, tClock, tExecute, deadline, tSentToProvider, tLastSentToProvider, tProviderReceived,
  tProviderSent, tHubReceived, tDeviceReceived, tDeviceResponded, tHubResponseSent, tProviderResponse, tProviderResponseSent, tDspResponse, tResponseSent, tUserReceived,
}

/** Numbers per InFlightRequests row: the 47 columns on six cache lines. */
const ROW_WIDTH = 48;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/** A fresh row as RequestTable.alloc() leaves it: no hub, device, User, serials or owner, step and attempt 1, every time NaN. */
function blankRow(): Float64Array {
  const b = new Float64Array(ROW_WIDTH);
  for (const c of [Q.hub, Q.device, Q.user, Q.timeout, Q.serial, Q.source, Q.failureAlertSerial, Q.processSerial, Q.owner, Q.deviceType]) b[c] = -1;
  b[Q.step] = 1;
  b[Q.userAttempt] = 1;
  for (let c = Q.tSent; c <= Q.tUserReceived; c++) b[c] = NaN;
  return b;
}

/**
 * The journey's requests in flight, one row after another; get() and set()
 * a column of a row. The generation (place 0) survives a row's reuse: alloc()
 * and release() each bump it.
 */
export class InFlightRequests extends PackedRows {
  constructor(initialCapacity = 1024) {
    super(ROW_WIDTH, new Map(COLUMNS.map(([name], i) => [name, i])), blankRow(), initialCapacity, Q.gen + 1);
  }

  /** Take a fresh row: a new generation, the blank values. */
  alloc(): number {
    const i = this.take();
    const f = this.pages[i >>> PAGE_BITS];
    f[(i & PAGE_MASK) * ROW_WIDTH + Q.gen]++;
    return i;
  }

  /** Give the row back; events still carrying its old generation are ignored. */
  override release(i: number): void {
    this.pages[i >>> PAGE_BITS][(i & PAGE_MASK) * ROW_WIDTH + Q.gen]++;
    super.release(i);
  }

  get(row: number, c: Q): number {
    return this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * ROW_WIDTH + c];
  }

  set(row: number, c: Q, v: number): void {
    this.pages[row >>> PAGE_BITS][(row & PAGE_MASK) * ROW_WIDTH + c] = v;
  }
}

/** Parallel typed arrays of every column: the recorder's one-row replica. */
export class RequestTable extends Rows {
  /** Generation of the row, bumped at every alloc and when a journey is answered early. */
  gen!: Uint32Array;
  /** Index into the SRV catalogue. */
  srv!: Uint8Array;
  timing!: Uint8Array;
  hub!: Int32Array;
  /** Target device in the estate (-1: the hub or the DSP itself). */
  device!: Int32Array;
  region!: Uint8Array;
  user!: Int16Array;
  /** Days of data a profile read asks for. */
  days!: Uint16Array;
  attempts!: Uint8Array;
  /** Index into RESPONSE_CODES. */
  code!: Uint8Array;
  gbtBlocks!: Int32Array;
  blocksLeft!: Int32Array;
  packetsLeft!: Int32Array;
  gbtPackets!: Int32Array;
  /** The DSP's timeout: its id in the journey's timeout chain (-1: none pending). */
  timeout!: Float64Array;
  /** Serial of the request (requestId). */
  serial!: Float64Array;
  /** Serial of the provider's record of the response (CSP North responseId, S1SP auditId), -1 if none. */
  source!: Float64Array;
  /** FAILURE_ALERT_* (journey.ts): the DCC Alert the DSP raised after the request failed. */
  failureAlert!: Uint8Array;
  /** Its serial (alertId), -1 if none. */
  failureAlertSerial!: Float64Array;
  /** Index into BUSINESS_PROCESSES of the process instance the request belongs to. */
  process!: Uint8Array;
  /** Serial of that instance (processId). */
  processSerial!: Float64Array;
  /** The request's position in its process (1 first) and the User's attempt at that step (1 first). */
  step!: Uint16Array;
  userAttempt!: Uint16Array;
  /** 1: sent without waiting for the previous step's success, and failed for it (seed 003's exclusion). */
  notWaited!: Uint8Array;
  /** The process instance that sent it (src/flows/requests/processes.ts), -1 for a lone request. */
  owner!: Int32Array;
  /** The CSP or S1SP that carries it: index into the journey's providers (the three CSPs by region, then the S1SPs). */
  provider!: Uint16Array;
  /**
   * What the recorder says of the target hub and device, as the request's
   * sender knew them (it chose the device by type, and read the hub with its
   * premises), rather than looked up by the recorder in its own copy of the
   * estate, where each was a cache miss per record: the device's type
   * (DEVICE_TYPES; -1: the hub or the DSP), the hub SDK clock's offset (ms)
   * and the hub's REP ID (CSP North; else 0).
   */
  deviceType!: Int16Array;
  hubClockOffset!: Int32Array;
  repId!: Uint32Array;

  tSent!: Float64Array;
  tDspReceived!: Float64Array;
  /** Start of the RTT clock: receipt, or the execution time of a future-dated or scheduled request. */
  tClock!: Float64Array;
  /** Processing starts (after any deferral or future date). */
  tExecute!: Float64Array;
  deadline!: Float64Array;
  tSentToProvider!: Float64Array;
  tLastSentToProvider!: Float64Array;
  tProviderReceived!: Float64Array;
  /** When the provider passed the current attempt to the SMWAN (its no-answer timer starts). */
  tProviderSent!: Float64Array;
  tHubReceived!: Float64Array;
  tDeviceReceived!: Float64Array;
  tDeviceResponded!: Float64Array;
  /** The hub sends the response over the SMWAN (a GBT read: its first packet). */
  tHubResponseSent!: Float64Array;
  tProviderResponse!: Float64Array;
  /** The provider passes the response to the DSP (CSP North's `timestamp`). */
  tProviderResponseSent!: Float64Array;
  tDspResponse!: Float64Array;
  tResponseSent!: Float64Array;
  tUserReceived!: Float64Array;

  constructor(initialCapacity = 1024) {
    super(initialCapacity);
    this.createColumns();
  }

  protected columns() {
    return COLUMNS;
  }

  /** Take a fresh row: a new generation, every time NaN. */
  alloc(): number {
    const i = this.take();
    this.gen[i]++;
    this.srv[i] = 0;
    this.timing[i] = 0;
    this.hub[i] = -1;
    this.device[i] = -1;
    this.region[i] = 0;
    this.user[i] = -1;
    this.days[i] = 0;
    this.attempts[i] = 0;
    this.code[i] = 0;
    this.gbtBlocks[i] = 0;
    this.blocksLeft[i] = 0;
    this.packetsLeft[i] = 0;
    this.gbtPackets[i] = 0;
    this.timeout[i] = -1;
    this.serial[i] = -1;
    this.source[i] = -1;
    this.failureAlert[i] = 0;
    this.failureAlertSerial[i] = -1;
    this.process[i] = 0;
    this.processSerial[i] = -1;
    this.step[i] = 1;
    this.userAttempt[i] = 1;
    this.notWaited[i] = 0;
    this.owner[i] = -1;
    this.deviceType[i] = -1;
    this.hubClockOffset[i] = 0;
    this.repId[i] = 0;
    // Written out rather than looped over TIME_COLUMNS by name: a keyed store per column was the dearest part of a request's start.
    this.tSent[i] = NaN;
    this.tDspReceived[i] = NaN;
    this.tClock[i] = NaN;
    this.tExecute[i] = NaN;
    this.deadline[i] = NaN;
    this.tSentToProvider[i] = NaN;
    this.tLastSentToProvider[i] = NaN;
    this.tProviderReceived[i] = NaN;
    this.tProviderSent[i] = NaN;
    this.tHubReceived[i] = NaN;
    this.tDeviceReceived[i] = NaN;
    this.tDeviceResponded[i] = NaN;
    this.tHubResponseSent[i] = NaN;
    this.tProviderResponse[i] = NaN;
    this.tProviderResponseSent[i] = NaN;
    this.tDspResponse[i] = NaN;
    this.tResponseSent[i] = NaN;
    this.tUserReceived[i] = NaN;
    return i;
  }

  /** Give the row back; events still carrying its old generation are ignored. */
  override release(i: number): void {
    this.gen[i]++;
    super.release(i);
  }
}
