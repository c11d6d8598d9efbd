/**
 * How records leave the simulation thread without being spelled there. The
 * simulation writes each record's facts (an operation code, the simulated
 * time, the numbers the record is made from: typically a snapshot of a
 * journey row) into a Float64Array batch; full batches are handed to the
 * feeds thread (src/twin-thread.ts), which applies them in order to the same
 * recorders a single-threaded run calls directly, against replicas of the
 * journey tables. So the feeds' bytes do not depend on the thread they are
 * spelled on, and the simulation thread keeps the events.
 *
 * A batch may also carry strings (a whole line for a feed written on the
 * simulation thread, a path to open): ChannelSink is a FeedSink whose lines
 * travel that way, in order with the facts.
 *
 * The batches are a ring of shared memory, handed over by number, never
 * transferred: once any buffer has been transferred (detached), V8 checks
 * every typed-array access in the isolate, the simulation's included. Each
 * batch has a flag in shared memory, set while it is with the feeds thread;
 * the simulation waits on the next batch's flag (back-pressure, with memory
 * bounded by the ring), and raises a failure of the feeds thread (a disk
 * error) while it waits or at the next batch.
 */
import type { Worker } from 'node:worker_threads';
import { OutputError, type FeedKind, type FeedSink, type FeedWriter } from './sink.js';

/** Operation codes: 1-9 the channel's own, 10-19 the alert recorder's, 20-29 the request recorder's. */
export const OP_OPEN = 1;
export const OP_LINE = 2;

/** Slots per batch by default (1 MiB). */
export const BATCH_SLOTS = 1 << 17;
/** Batches in the ring: how far the simulation may run ahead of the feeds thread. */
const RING = 48;
/** state[]: [failed, length of the failure's text, then one flag per batch of the ring]. */
const FAILED = 0;
const FAILURE_LENGTH = 1;
const FLAGS = 2;

const KINDS: FeedKind[] = ['jsonl', 'csv', 'ndxml'];

/** What both ends share: the ring of batches, their flags and the failure. */
export interface ChannelMemory {
  batches: SharedArrayBuffer[];
  state: SharedArrayBuffer;
  /** The feeds thread's first failure, JSON (output: a disk's failure; message), UTF-8. */
  failureText: SharedArrayBuffer;
}

/** `slots`: numbers per batch; small ones cross batch boundaries often (tests). */
export function channelMemory(slots = BATCH_SLOTS): ChannelMemory {
  return {
    batches: Array.from({ length: RING }, () => new SharedArrayBuffer(slots * 8)),
    state: new SharedArrayBuffer((FLAGS + RING) * 4),
    failureText: new SharedArrayBuffer(4096),
  };
}

/** A batch on its way: the ring's `id` (or -1 and a one-off buffer for an operation wider than a batch), `n` numbers used. */
export interface BatchMessage {
  t: 'batch';
  id: number;
  n: number;
  strings: string[];
  own?: SharedArrayBuffer;
}

export class FactChannel {
  f: Float64Array;
  private p = 0;
  private strings: string[] = [];
  private readonly state: Int32Array;
  private readonly views: Float64Array[];
  /** The ring's batch being filled; -1 while a one-off is. */
  private k = 0;
  /** The ring's batch to fill after it. */
  private next = 1;

  constructor(
    private readonly worker: Worker,
    private readonly memory: ChannelMemory,
    /** The simulated time now, stamped on each operation. */
    private readonly clock: () => number,
  ) {
    this.state = new Int32Array(memory.state);
    this.views = memory.batches.map((b) => new Float64Array(b));
    this.f = this.views[0];
  }

  /**
   * Starts an operation of `n` numbers after its code, time and width: returns the
   * slot of the first of them, for the caller to fill before the next begin().
   */
  begin(op: number, n: number): number {
    if (this.p + n + 3 > this.f.length) {
      this.flush();
      // An operation wider than a batch goes in one of its own.
      if (n + 3 > this.f.length) {
        this.k = -1;
        this.f = new Float64Array(new SharedArrayBuffer((n + 3) * 8));
      }
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

  /** Hands the batch so far to the feeds thread and waits for the next of the ring to be free. */
  flush(): void {
    if (this.p === 0) return;
    this.check();
    const m: BatchMessage = { t: 'batch', id: this.k, n: this.p, strings: this.strings };
    if (this.k < 0) m.own = this.f.buffer as SharedArrayBuffer;
    else Atomics.store(this.state, FLAGS + this.k, 1);
    this.worker.postMessage(m);
    this.p = 0;
    this.strings = [];
    const k = this.next;
    this.next = (k + 1) % this.views.length;
    while (Atomics.load(this.state, FLAGS + k) !== 0) {
      Atomics.wait(this.state, FLAGS + k, 1, 1000);
      this.check();
      // Its 'exit' event cannot reach this loop: a thread that is gone has no id.
      if (this.worker.threadId === -1) throw new Error('the feeds thread stopped before the run ended');
    }
    this.k = k;
    this.f = this.views[k];
  }

  /** Raises the feeds thread's failure, if it had one: an OutputError for the disk's, else an Error. */
  check(): void {
    if (Atomics.load(this.state, FAILED) === 0) return;
    const n = Atomics.load(this.state, FAILURE_LENGTH);
    let failure = { output: false, message: 'the feeds thread failed' };
    try {
      // Copied out: TextDecoder does not read shared memory.
      failure = JSON.parse(Buffer.from(new Uint8Array(this.memory.failureText).slice(0, n)).toString('utf8'));
    } catch {
      // a message cut at the buffer's end: keep the plain one
    }
    throw failure.output ? new OutputError(failure.message) : new Error(failure.message);
  }
}

/** The feeds thread's end of the ring. */
export class ChannelReceiver {
  private readonly state: Int32Array;
  private readonly views: Float64Array[];

  constructor(private readonly memory: ChannelMemory) {
    this.state = new Int32Array(memory.state);
    this.views = memory.batches.map((b) => new Float64Array(b));
  }

  /** The numbers of a batch that has arrived. */
  batch(m: BatchMessage): Float64Array {
    return m.id < 0 ? new Float64Array(m.own!) : this.views[m.id];
  }

  /** The batch is applied: the simulation may fill it again. */
  done(m: BatchMessage): void {
    if (m.id < 0) return;
    Atomics.store(this.state, FLAGS + m.id, 0);
    Atomics.notify(this.state, FLAGS + m.id);
  }

  /** Leaves the first failure's text for the simulation thread, and raises the flag it checks. */
  fail(output: boolean, message: string): void {
    if (Atomics.load(this.state, FAILED) !== 0) return;
    const text = JSON.stringify({ output, message });
    const n = new TextEncoder().encodeInto(text, new Uint8Array(this.memory.failureText)).written;
    Atomics.store(this.state, FAILURE_LENGTH, n);
    Atomics.store(this.state, FAILED, 1);
  }
}

/**
 * Applies a batch on the feeds thread: `apply(op, now, o)` for each
 * operation, `o` the slot of its first number.
 */
export function eachOperation(f: Float64Array, n: number, apply: (op: number, now: number, o: number) => void): void {
  for (let p = 0; p < n; p += f[p + 2] + 3) apply(f[p], f[p + 1], p + 3);
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
