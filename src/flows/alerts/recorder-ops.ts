/**
 * The alert recorder across two threads (src/feeds/channel.ts): on the
 * simulation thread, ShippedAlertRecorder implements the journey's
 * AlertRecorder by putting each call and a snapshot of its row into the
 * channel; on the feeds thread, applyAlertOp restores the row into row 0 of
 * a one-row replica of the alert table and makes the same call on the real
 * FeedRecorder (attached to the replica without its payload cache). The
 * recorder then sees, call by call, the values the single-threaded run shows
 * it, so the feeds come out byte for byte the same; and the replica, one row,
 * stays in the cache where a full-size one would miss on every column.
 *
 * A run without a feeds thread does the same on one thread
 * (LocalAlertRecorder): the journey's rows are packed (AlertRows), the
 * recorder reads columns (AlertTable), so each call's row is copied into the
 * one-row replica first.
 */
import type { FactChannel } from '../../feeds/channel.js';
import type { FirmwareAlertDetail } from '../../dcc/duis.js';
import { ALERT_CATALOGUE } from '../../dcc/alerts.js';
import type { AlertRecorder } from './journey.js';
import type { FeedRecorder } from './recorder.js';
import { AlertTable, C, type AlertRows } from './table.js';
import type { ColumnSet } from '../../engine/rows.js';

/** What the GBCS payload is built from (src/flows/alerts/payloads.ts). */
const PAYLOAD = ['origin', 'device', 'hub', 'source', 'serial', 'tCondition', 'outageStart', 'outageEnd'];
/**
 * The columns each FeedRecorder method reads, helpers included (a method not
 * named here reads the whole row): what an operation carries. A column left
 * out reads as -1 on the feeds thread, which the tests comparing both
 * threads' feeds would show.
 */
const READS = {
  cspNorth: [...PAYLOAD, 'repId', 'tCspDeparture', 'tHubStamp'],
  cspForward: [...PAYLOAD, 'region', 'tHubStamp', 'tCspArrival', 'tCspDeparture'],
  s1spAudit: ['source', 'hub', 'origin', 'device', 'code', 'tCondition', 'tCspArrival', 'tCspDeparture', 'tDspReceived'],
  delivery: ['serial', 'attempts', 'user', 'code'],
  // Every column but the payload's outage times and what only a DUIS body reads.
  finish: [
    'code', 'dcc', 'origin', 'hub', 'device', 'region', 'user', 'cause', 'source', 'serial', 'attempts', 'throttled', 'throttledSeq',
    'throttledCount', 'lostAt', 'lostReason', 'tCondition', 'tChf', 'tWanSent', 'tHubStamp', 'tCspArrival', 'tCspDeparture',
    'tDspReceived', 'tPassed', 'tUserReceived', 'tHandshake', 'hubClockOffset',
  ],
};

/** The column sets of READS on `table`. */
function readSets(table: AlertTable): Record<keyof typeof READS, ColumnSet> {
  return {
    cspNorth: table.columnSet(READS.cspNorth),
    cspForward: table.columnSet(READS.cspForward),
    s1spAudit: table.columnSet(READS.s1spAudit),
    delivery: table.columnSet(READS.delivery),
    finish: table.columnSet(READS.finish),
  };
}

const OP_CSP_NORTH = 10;
const OP_CSP_FORWARD = 11;
const OP_S1SP_AUDIT = 12;
const OP_DELIVERY = 13;
const OP_DUIS = 14;
const OP_FINISH = 16;
const OP_ADVANCE = 17;
const OP_CLOSE = 18;

/** Per code: a firmware path DCC Alert, whose DUIS body needs the firmware flow's description. */
const FIRMWARE_BODY = Uint8Array.from(ALERT_CATALOGUE, (a) => (a.firmwarePath === true ? 1 : 0));

/** A set's places in a packed row, for PackedRows.snapshot(): the replica's copy order. */
type Places = Record<keyof typeof READS | 'all', Int32Array>;

function placesOf(rows: AlertRows): Places {
  const shape = new AlertTable(1);
  const sets = readSets(shape);
  return {
    cspNorth: rows.placesOf(sets.cspNorth),
    cspForward: rows.placesOf(sets.cspForward),
    s1spAudit: rows.placesOf(sets.s1spAudit),
    delivery: rows.placesOf(sets.delivery),
    finish: rows.placesOf(sets.finish),
    all: rows.placesOf(shape.all),
  };
}

export class ShippedAlertRecorder implements AlertRecorder {
  private rows!: AlertRows;
  private places!: Places;
  /** As FeedRecorder's: the firmware flow's description of an alert's target, for its DUIS body. */
  firmwareDetail: ((ref: number) => FirmwareAlertDetail) | null = null;

  /** `duis`: DUIS bodies are written (else the calls for them are not sent). */
  constructor(private readonly ch: FactChannel, private readonly duisBodies: boolean) {}

  attach(rows: AlertRows): void {
    this.rows = rows;
    this.places = placesOf(rows);
  }

  /**
   * Begins `op` with `extra` numbers (returned slot) and then the row's
   * snapshot. Callers read `this.ch.f` after this: a begin() may hand the
   * batch over and start another.
   */
  private ship(op: number, row: number, extra: number, places: Int32Array = this.places.all): number {
    const o = this.ch.begin(op, extra + places.length);
    this.rows.snapshot(row, this.ch.f, o + extra, places);
    return o;
  }

  cspNorth(row: number): void {
    this.ship(OP_CSP_NORTH, row, 0, this.places.cspNorth);
  }

  cspForward(row: number): void {
    this.ship(OP_CSP_FORWARD, row, 0, this.places.cspForward);
  }

  s1spAudit(row: number): void {
    this.ship(OP_S1SP_AUDIT, row, 0, this.places.s1spAudit);
  }

  delivery(row: number, sent: number, received: number, handshake: number): void {
    const o = this.ship(OP_DELIVERY, row, 3, this.places.delivery);
    const f = this.ch.f;
    f[o] = sent;
    f[o + 1] = received;
    f[o + 2] = handshake;
  }

  duis(row: number): void {
    if (!this.duisBodies) return;
    const T = this.rows;
    const detail = FIRMWARE_BODY[T.get(row, C.code)] === 1 && this.firmwareDetail ? JSON.stringify(this.firmwareDetail(T.get(row, C.request))) : null;
    const o = this.ship(OP_DUIS, row, 1);
    // After ship(): a string belongs to the batch its operation is in.
    this.ch.f[o] = detail === null ? -1 : this.ch.str(detail);
  }

  handedOver(): void {
    // Only releases the row's cached payload: the feeds thread keeps none.
  }

  finish(row: number, outcome: number, at: number): void {
    const o = this.ship(OP_FINISH, row, 2, this.places.finish);
    this.ch.f[o] = outcome;
    this.ch.f[o + 1] = at;
  }

  /** As FeedRecorder.advance: the throughput windows that can no longer change may be written. */
  advance(now: number): void {
    const o = this.ch.begin(OP_ADVANCE, 1);
    this.ch.f[o] = now;
  }

  /** As FeedRecorder.close: the last throughput windows, before anything the run writes at its end. */
  close(): void {
    this.ch.begin(OP_CLOSE, 0);
  }
}

/** The alert recorder of a run without a feeds thread: each call's row copied into a one-row replica, then the FeedRecorder's same call. */
export class LocalAlertRecorder implements AlertRecorder {
  private rows!: AlertRows;
  private all!: Int32Array;
  private readonly replica = new AlertTable(1).oneRowOfViews();
  private readonly scratch = new Float64Array(this.replica.all.width);

  constructor(readonly feed: FeedRecorder) {
    feed.attach(this.replica, false);
  }

  attach(rows: AlertRows): void {
    this.rows = rows;
    this.all = placesOf(rows).all;
  }

  set firmwareDetail(describe: ((ref: number) => FirmwareAlertDetail) | null) {
    this.feed.firmwareDetail = describe;
  }

  /** Row `row` of the journey as row 0 of the replica. */
  private load(row: number): number {
    this.rows.copyTo(row, this.all, this.replica, this.scratch);
    return 0;
  }

  cspNorth(row: number): void {
    this.feed.cspNorth(this.load(row));
  }

  cspForward(row: number): void {
    this.feed.cspForward(this.load(row));
  }

  s1spAudit(row: number): void {
    this.feed.s1spAudit(this.load(row));
  }

  delivery(row: number, sent: number, received: number, handshake: number): void {
    this.feed.delivery(this.load(row), sent, received, handshake);
  }

  duis(row: number): void {
    this.feed.duis(this.load(row));
  }

  handedOver(): void {
    // Only releases a cached payload: the replica's recorder keeps none.
  }

  finish(row: number, outcome: number, at: number): void {
    this.feed.finish(this.load(row), outcome, at);
  }

  advance(now: number): void {
    this.feed.advance(now);
  }

  close(): void {
    this.feed.close();
  }
}

/**
 * The feeds thread's half: applies one operation to `rec`, attached to the
 * replica's table; false for a code that is not the alert recorder's.
 * `strings`: the batch's.
 */
export class AlertReplica {
  /** One row: every operation brings its row's values. */
  readonly table: AlertTable;
  readonly sets: Record<keyof typeof READS, ColumnSet>;

  constructor(table: AlertTable) {
    this.table = table.oneRowOfViews();
    this.sets = readSets(table);
  }
}

export function applyAlertOp(op: number, f: Float64Array, o: number, strings: string[], rec: FeedRecorder, replica: AlertReplica): boolean {
  const row = 0;
  const table = replica.table;
  switch (op) {
    case OP_CSP_NORTH:
      table.restore(row, f, o, replica.sets.cspNorth);
      rec.cspNorth(row);
      return true;
    case OP_CSP_FORWARD:
      table.restore(row, f, o, replica.sets.cspForward);
      rec.cspForward(row);
      return true;
    case OP_S1SP_AUDIT:
      table.restore(row, f, o, replica.sets.s1spAudit);
      rec.s1spAudit(row);
      return true;
    case OP_DELIVERY:
      table.restore(row, f, o + 3, replica.sets.delivery);
      rec.delivery(row, f[o], f[o + 1], f[o + 2]);
      return true;
    case OP_DUIS: {
      table.restore(row, f, o + 1);
      const detail = f[o];
      rec.firmwareDetail = detail < 0 ? null : () => JSON.parse(strings[detail]) as FirmwareAlertDetail;
      rec.duis(row);
      return true;
    }
    case OP_FINISH:
      table.restore(row, f, o + 2, replica.sets.finish);
      rec.finish(row, f[o], f[o + 1]);
      return true;
    case OP_ADVANCE:
      rec.advance(f[o]);
      return true;
    case OP_CLOSE:
      rec.close();
      return true;
    default:
      return false;
  }
}
