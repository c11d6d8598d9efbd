/**
 * The request recorder across two threads, as src/flows/alerts/recorder-ops.ts
 * does it for alerts: ShippedRequestRecorder puts each RequestRecorder call
 * and a snapshot of its row into the channel on the simulation thread;
 * applyRequestOp restores the row into row 0 of a one-row replica of the
 * request table on the feeds thread and makes the same call on the real
 * RequestFeedRecorder, which keeps nothing per row between calls.
 */
import type { FactChannel } from '../../feeds/channel.js';
import type { ColumnSet } from '../../engine/rows.js';
import { SMETS1 } from '../../dcc/regions.js';
import { TargetResponseTimes } from '../../dcc/srvs.js';
import type { RequestRecorder } from './journey.js';
import { northRecord, s1spRecord, type RequestFeedRecorder, type RequestRows } from './recorder.js';
import { RequestTable } from './table.js';

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
const PROVIDER_RESPONSE = ['region', 'hub', 'device', 'user', 'serial', 'source', 'tProviderResponseSent', 'tHubResponseSent'];
const DSP_RESPONSE = ['region', 'hub', 'device', 'srv', 'source', 'tDeviceResponded', 'tHubResponseSent', 'tProviderResponse', 'tProviderResponseSent', 'tDspResponse'];

export class ShippedRequestRecorder implements RequestRecorder {
  private table!: RequestTable;
  private providerSet!: ColumnSet;
  private dspSet!: ColumnSet;
  private answeredSet!: ColumnSet;

  constructor(private readonly ch: FactChannel) {}

  attach(journey: RequestRows): void {
    this.table = journey.table;
    this.providerSet = journey.table.columnSet(PROVIDER_RESPONSE);
    this.dspSet = journey.table.columnSet(DSP_RESPONSE);
    this.answeredSet = recorded(journey.table);
  }

  private ship(op: number, row: number, set: ColumnSet): void {
    // begin() first: it may hand the batch over and start another.
    const o = this.ch.begin(op, set.width);
    this.table.snapshot(row, this.ch.f, o, set);
  }

  // Only what the recorder writes a record for is sent.
  providerResponse(row: number): void {
    if (northRecord(this.table.region[row])) this.ship(OP_PROVIDER_RESPONSE, row, this.providerSet);
  }

  dspResponse(row: number): void {
    if (s1spRecord(this.table.region[row], this.table.source[row])) this.ship(OP_DSP_RESPONSE, row, this.dspSet);
  }

  answered(row: number): void {
    this.ship(OP_ANSWERED, row, this.answeredSet);
  }

  lost(row: number): void {
    this.ship(OP_LOST, row, this.answeredSet);
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
