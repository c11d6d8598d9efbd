/**
 * The request recorder across two threads, as src/flows/alerts/recorder-ops.ts
 * does it for alerts: ShippedRequestRecorder puts each RequestRecorder call
 * and a snapshot of its row into the channel on the simulation thread;
 * applyRequestOp restores the row into row 0 of a one-row replica of the
 * request table on the feeds thread and makes the same call on the real
 * RequestFeedRecorder, which keeps nothing per row between calls.
 *
 * The journey's rows are packed (InFlightRequests), the recorder reads
 * columns (RequestTable): a run without a feeds thread (LocalRequestRecorder)
 * copies each call's row into the same one-row replica first.
 */
import type { FactChannel } from '../../feeds/channel.js';
import { SMETS1 } from '../../dcc/regions.js';
import { TargetResponseTimes } from '../../dcc/srvs.js';
import type { RequestRecorder } from './journey.js';
import { northRecord, s1spRecord, type RequestFeedRecorder, type RequestRows } from './recorder.js';
import { Q, RequestTable, type InFlightRequests } from './table.js';

const OP_PROVIDER_RESPONSE = 20;
const OP_DSP_RESPONSE = 21;
const OP_ANSWERED = 22;
const OP_LOST = 23;

/**
 * The columns providerResponse and dspResponse read, helpers included (the
 * response payload: serial, target, User); answered and lost read the whole
 * row but the journey's own bookkeeping (NOT_RECORDED). A column left out
 * reads as -1 on the feeds thread.
 */
const NOT_RECORDED = ['gen', 'days', 'blocksLeft', 'packetsLeft', 'timeout', 'owner', 'provider', 'deadline', 'tProviderSent'];
const recorded = (table: RequestTable) => table.columnSet(table.columnNames.filter((c) => !NOT_RECORDED.includes(c)));
const PROVIDER_RESPONSE = ['region', 'hub', 'device', 'user', 'serial', 'source', 'repId', 'hubClockOffset', 'tProviderResponseSent', 'tHubResponseSent'];
const DSP_RESPONSE = ['region', 'hub', 'device', 'provider', 'srv', 'source', 'tDeviceResponded', 'tHubResponseSent', 'tProviderResponse', 'tProviderResponseSent', 'tDspResponse'];

/** What a recorder reads of the journey: its packed rows. */
export interface JourneyRows {
  readonly table: InFlightRequests;
}

export class ShippedRequestRecorder implements RequestRecorder {
  private rows!: InFlightRequests;
  /** Each operation's columns' places in a packed row, in the replica's copy order. */
  private providerPlaces!: Int32Array;
  private dspPlaces!: Int32Array;
  private answeredPlaces!: Int32Array;

  constructor(private readonly ch: FactChannel) {}

  attach(journey: JourneyRows): void {
    this.rows = journey.table;
    const shape = new RequestTable(1);
    this.providerPlaces = this.rows.placesOf(shape.columnSet(PROVIDER_RESPONSE));
    this.dspPlaces = this.rows.placesOf(shape.columnSet(DSP_RESPONSE));
    this.answeredPlaces = this.rows.placesOf(recorded(shape));
  }

  private ship(op: number, row: number, places: Int32Array): void {
    // begin() first: it may hand the batch over and start another.
    const o = this.ch.begin(op, places.length);
    this.rows.snapshot(row, this.ch.f, o, places);
  }

  // Only what the recorder writes a record for is sent.
  providerResponse(row: number): void {
    if (northRecord(this.rows.get(row, Q.region))) this.ship(OP_PROVIDER_RESPONSE, row, this.providerPlaces);
  }

  dspResponse(row: number): void {
    if (s1spRecord(this.rows.get(row, Q.region), this.rows.get(row, Q.source))) this.ship(OP_DSP_RESPONSE, row, this.dspPlaces);
  }

  answered(row: number): void {
    this.ship(OP_ANSWERED, row, this.answeredPlaces);
  }

  lost(row: number): void {
    this.ship(OP_LOST, row, this.answeredPlaces);
  }
}

/** A run without a feeds thread: each call's whole row copied into a one-row replica, which the feeds' recorder reads. */
export class LocalRequestRecorder implements RequestRecorder {
  private rows!: InFlightRequests;
  private places!: Int32Array;
  private readonly replica: RequestReplica;
  private readonly scratch: Float64Array;

  constructor(readonly feed: RequestFeedRecorder, secmp0053: boolean) {
    this.replica = new RequestReplica(secmp0053);
    this.scratch = new Float64Array(this.replica.table.all.width);
    feed.attach(this.replica);
  }

  attach(journey: JourneyRows): void {
    this.rows = journey.table;
    this.places = this.rows.placesOf(this.replica.table.all);
  }

  /** Row 0 of the replica, holding the journey's row `row`. */
  private copied(row: number): number {
    this.rows.copyTo(row, this.places, this.replica.table, this.scratch);
    return 0;
  }

  providerResponse(row: number): void {
    this.feed.providerResponse(this.copied(row));
  }

  dspResponse(row: number): void {
    this.feed.dspResponse(this.copied(row));
  }

  answered(row: number): void {
    this.feed.answered(this.copied(row));
  }

  lost(row: number): void {
    this.feed.lost(this.copied(row));
  }
}

/**
 * A replica of the request table with the journey's Target Response Times:
 * what the feeds thread's recorder reads. One row of views on one array
 * (Rows.oneRowOfViews): a restore copies each column by place, where columns
 * of their own types took a copying loop per type, and the columns a set
 * leaves out (most of them, for a provider's response) cost a store each.
 */
export class RequestReplica implements RequestRows {
  readonly table = new RequestTable(1).oneRowOfViews();
  readonly providerSet = this.table.columnSet(PROVIDER_RESPONSE);
  readonly dspSet = this.table.columnSet(DSP_RESPONSE);
  readonly answeredSet = recorded(this.table);
  private readonly trt: TargetResponseTimes;

  constructor(secmp0053: boolean) {
    this.trt = new TargetResponseTimes(secmp0053);
  }

  trtOf(row: number): number {
    const T = this.table;
    return this.trt.of(T.srv[row], T.region[row] === SMETS1);
  }
}

/** The feeds thread's half: false for a code that is not the request recorder's. */
export function applyRequestOp(op: number, f: Float64Array, o: number, rec: RequestFeedRecorder, replica: RequestReplica): boolean {
  if (op < OP_PROVIDER_RESPONSE || op > OP_LOST) return false;
  const row = 0;
  replica.table.restore(row, f, o, op === OP_PROVIDER_RESPONSE ? replica.providerSet : op === OP_DSP_RESPONSE ? replica.dspSet : replica.answeredSet);
  if (op === OP_PROVIDER_RESPONSE) rec.providerResponse(row);
  else if (op === OP_DSP_RESPONSE) rec.dspResponse(row);
  else if (op === OP_ANSWERED) rec.answered(row);
  else rec.lost(row);
  return true;
}
