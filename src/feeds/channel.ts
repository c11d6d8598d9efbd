/**
 * How records leave the simulation thread without being spelled there. The
 * simulation writes each record's facts (an operation code, the simulated
 * time, the numbers the record is made from: typically a snapshot of a
 * journey row) into a Float64Array batch; full batches are transferred, not
 * copied, to the feeds thread (src/twin-thread.ts), which applies them in
 * order to the same recorders a single-threaded run calls directly, against
 * replicas of the journey tables. So the feeds' bytes do not depend on the
 * thread they are spelled on, and the simulation thread keeps the events.
 *
 * A batch may also carry strings (a whole line for a feed written on the
 * simulation thread, a path to open): ChannelSink is a FeedSink whose lines
 * travel that way, in order with the facts.
 *
 * Back-pressure as the writer thread's (src/feeds/sink.ts): batches in flight
 * are counted in shared memory and the simulation waits while too many are;
 * the feeds thread hands each batch's memory back to be filled again. A
 * failure on the feeds thread (a disk error) is raised at the next batch.
 */
import type { Worker } from 'node:worker_threads';
import { OutputError, type FeedKind, type FeedSink, type FeedWriter } from './sink.js';

/** Operation codes: 1-9 the channel's own, 10-19 the alert recorder's, 20-29 the request recorder's. */
export const OP_OPEN = 1;
export const OP_LINE = 2;

/** Slots per batch by default (1 MiB). */
export const BATCH_SLOTS = 1 << 17;
/** Batches transferred and not yet applied before the simulation waits. */
const MAX_IN_FLIGHT = 48;

const KINDS: FeedKind[] = ['jsonl', 'csv', 'ndxml'];

/** The state shared with the feeds thread: [batches in flight, failed, length of the failure's text]. */
export function channelState(): SharedArrayBuffer {
  return new SharedArrayBuffer(12);
}

/** Where the feeds thread leaves its first failure's text (JSON: output, message). */
export function failureBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(4096);
}

export class FactChannel {
  f: Float64Array;
  private p = 0;
  private strings: string[] = [];
  private readonly state: Int32Array;
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly worker: Worker,
    state: SharedArrayBuffer,
    private readonly failureText: SharedArrayBuffer,
    /** The simulated time now, stamped on each operation. */
    private readonly clock: () => number,
    /** Slots per batch: the default, or a small number to cross batch boundaries often (tests). */
    private readonly slots = BATCH_SLOTS,
  ) {
    this.state = new Int32Array(state);
    this.f = new Float64Array(slots);
    worker.on('message', (m: { t: string; buf?: ArrayBuffer }) => {
      if (m.t === 'free' && this.spare.length < MAX_IN_FLIGHT && m.buf!.byteLength === slots * 8) this.spare.push(m.buf!);
    });
  }

  /**
   * Starts an operation of `n` numbers after its code, time and width: returns the
   * slot of the first of them, for the caller to fill before the next begin().
   */
  begin(op: number, n: number): number {
    if (this.p + n + 3 > this.f.length) {
      this.flush();
      // An operation wider than a batch has one of its own.
      if (n + 3 > this.f.length) this.f = new Float64Array(n + 3);
    }
    const f = this.f;
    const o = this.p;
    f[o] = op;
    f[o + 1] = this.clock();
    f[o + 2] = n;
    this.p = o + n + 3;
    return o + 3;
  }

  /** A string carried with the current batch (call it after the begin() of its operation): its index, to be written into a slot. */
  str(s: string): number {
    return this.strings.push(s) - 1;
  }

  /** Transfers the batch so far to the feeds thread. */
  flush(): void {
    if (this.p === 0) return;
    this.check();
    for (let n = Atomics.load(this.state, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(this.state, 0)) {
      Atomics.wait(this.state, 0, n, 1000);
      this.check();
      // Its 'exit' event cannot reach this loop: a thread that is gone has no id.
      if (this.worker.threadId === -1) throw new Error('the feeds thread stopped before the run ended');
    }
    Atomics.add(this.state, 0, 1);
    const buf = this.f.buffer as ArrayBuffer;
    this.worker.postMessage({ t: 'batch', buf, n: this.p, strings: this.strings }, [buf]);
    const reuse = this.spare.pop();
    this.f = reuse !== undefined ? new Float64Array(reuse) : new Float64Array(this.slots);
    this.p = 0;
    this.strings = [];
  }

  /** Raises the feeds thread's failure, if it had one: an OutputError for the disk's, else an Error. */
  check(): void {
    if (Atomics.load(this.state, 1) === 0) return;
    const n = Atomics.load(this.state, 2);
    let failure = { output: false, message: 'the feeds thread failed' };
    try {
      // Copied out: TextDecoder does not read shared memory.
      failure = JSON.parse(Buffer.from(new Uint8Array(this.failureText).slice(0, n)).toString('utf8'));
    } catch {
      // a message cut at the buffer's end: keep the plain one
    }
    throw failure.output ? new OutputError(failure.message) : new Error(failure.message);
  }
}

/**
 * Applies a batch on the feeds thread: `apply(op, now, o)` for each
 * operation, `o` the slot of its first number.
 */
export function eachOperation(f: Float64Array, n: number, apply: (op: number, now: number, o: number) => void): void {
  for (let p = 0; p < n; p += f[p + 2] + 3) apply(f[p], f[p + 1], p + 3);
}

/** The receiving half's bookkeeping: after a batch is applied, its memory goes back and the count drops. */
export function batchApplied(state: Int32Array, post: (m: unknown, transfer: ArrayBuffer[]) => void, buf: ArrayBuffer): void {
  Atomics.sub(state, 0, 1);
  Atomics.notify(state, 0);
  post({ t: 'free', buf }, [buf]);
}

class ChannelWriter implements FeedWriter {
  records = 0;
  bytes = 0;

  constructor(private readonly ch: FactChannel, private readonly id: number) {}

  write(line: string): void {
    const o = this.ch.begin(OP_LINE, 2);
    this.ch.f[o] = this.id;
    this.ch.f[o + 1] = this.ch.str(line);
    this.records++;
    this.bytes += Buffer.byteLength(line, 'utf8') + 1;
  }
}

/**
 * A FeedSink on the simulation thread whose files are opened and written by
 * the feeds thread's sink, in order with the recorders' facts. Closing it
 * closes nothing: the feeds thread closes its sink when the run ends.
 */
export class ChannelSink implements FeedSink {
  private n = 0;

  constructor(private readonly ch: FactChannel) {}

  open(relPath: string, kind: FeedKind): FeedWriter {
    const id = this.n++;
    const o = this.ch.begin(OP_OPEN, 3);
    this.ch.f[o] = id;
    this.ch.f[o + 1] = this.ch.str(relPath);
    this.ch.f[o + 2] = KINDS.indexOf(kind);
    return new ChannelWriter(this.ch, id);
  }

  async close(): Promise<void> {}
}

/** The feeds thread's side of ChannelSink: applies OP_OPEN and OP_LINE to its own sink. */
export class ChannelSinkReceiver {
  private readonly writers: FeedWriter[] = [];

  constructor(private readonly sink: FeedSink) {}

  /** Applies the operation at `o` (its numbers; `strings` the batch's); returns false for a code that is not the channel's. */
  apply(op: number, f: Float64Array, o: number, strings: string[]): boolean {
    if (op === OP_LINE) this.writers[f[o]].write(strings[f[o + 1]]);
    else if (op === OP_OPEN) this.writers[f[o]] = this.sink.open(strings[f[o + 1]], KINDS[f[o + 2]]);
    else return false;
    return true;
  }
}
