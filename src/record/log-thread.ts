/**
 * `run --record` off the feeds thread, where a core is free for it
 * (src/twin-thread.ts decides). Reading a line's facts from its text
 * (values.ts) costs about as much as spelling the line did, and on the
 * feeds thread, the one that holds the simulation back, it more than
 * doubled a storm's run. So the feeds thread only copies each line's bytes,
 * with its file and simulated time, into a ring of shared buffers (LogTap,
 * a FeedSink in front of the run's own), and the log thread (this module's
 * worker) reads them back and records them through RecordingSink exactly as
 * before: the same lines in the same order at the same times give the same
 * log, byte for byte.
 *
 * The ring is the channel's design (src/feeds/channel.ts): shared buffers
 * handed over by number, never transferred, a flag per buffer while the log
 * thread has it, the feeds thread waiting on the next one's flag (memory
 * bounded by the ring), and the log thread's first failure (a disk's) left
 * in shared memory for the feeds thread to raise at its next buffer.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ForwardingWriter, OutputError, type FeedKind, type FeedSink, type FeedWriter } from '../feeds/sink.js';
import type { Scenario } from '../scenario/types.js';
import { RecordingSink } from './recorder.js';

const BUFFER = 4 << 20;
const RING = 8;
/** state[]: [ready (1) or failed to start (2), failed, length of the failure's text, then one flag per buffer]. */
const READY = 0;
const FAILED = 1;
const FAILURE_LENGTH = 2;
const FLAGS = 3;
/** Entries: OPEN file u32, kind u8, length u32, path; LINE file u32, time f64, length u32, text (UTF-8). */
const OPEN = 1;
const LINE = 2;
const LINE_HEAD = 17;
const KINDS: FeedKind[] = ['jsonl', 'csv', 'ndxml'];

interface LogThreadData {
  /** Marks this module's own worker (the feeds thread that imports it is a worker too). */
  logThread: true;
  file: string;
  scenario: Scenario;
  sourceText?: string | Buffer;
  buffers: SharedArrayBuffer[];
  state: SharedArrayBuffer;
  failureText: SharedArrayBuffer;
}

/** The worker is this module, built: from the TypeScript sources (tests) the build's copy. */
const here = new URL(import.meta.url);
const THREAD_SCRIPT = here.pathname.endsWith('.ts') ? new URL('../../dist/src/record/log-thread.js', here) : here;

type ToLog = { t: 'buffer'; id: number; n: number; own?: SharedArrayBuffer } | { t: 'close'; endMs: number };
type FromLog = { t: 'closed'; bytes: number } | { t: 'failed'; output: boolean; message: string };

/** The failure's text, left in shared memory by one side and read by the other. */
function failureOf(state: Int32Array, text: SharedArrayBuffer): OutputError | Error {
  let failure = { output: false, message: 'the log thread failed' };
  try {
    failure = JSON.parse(Buffer.from(new Uint8Array(text).slice(0, Atomics.load(state, FAILURE_LENGTH))).toString('utf8'));
  } catch {
    // a message cut at the buffer's end: keep the plain one
  }
  return failure.output ? new OutputError(failure.message) : new Error(failure.message);
}

class TapWriter extends ForwardingWriter {
  constructor(
    inner: FeedWriter,
    private readonly tap: LogTap,
    private readonly id: number,
  ) {
    super(inner);
  }

  write(line: string): void {
    this.inner.write(line);
    this.tap.line(this.id, line);
  }
}

/** The feeds thread's end: a FeedSink in front of the run's own that hands every line to the log thread. */
export class LogTap implements FeedSink {
  private readonly worker: Worker;
  private readonly state: Int32Array;
  private readonly views: Buffer[];
  private readonly failureText: SharedArrayBuffer;
  private b: Buffer;
  private p = 0;
  private k = 0;
  private files = 0;
  private closed = false;
  /** Bytes of the log, once closed. */
  logBytes = 0;

  /** Starts the log thread and waits until it has created the log (a failure to is raised here). */
  constructor(
    private readonly inner: FeedSink,
    readonly file: string,
    opts: { scenario: Scenario; sourceText?: string | Buffer },
    /** The simulated time now, ms from the epoch. */
    private readonly clock: () => number,
  ) {
    const buffers = Array.from({ length: RING }, () => new SharedArrayBuffer(BUFFER));
    const state = new SharedArrayBuffer((FLAGS + RING) * 4);
    this.failureText = new SharedArrayBuffer(4096);
    this.state = new Int32Array(state);
    this.views = buffers.map((s) => Buffer.from(s));
    this.b = this.views[0];
    const data: LogThreadData = { logThread: true, file, scenario: opts.scenario, sourceText: opts.sourceText, buffers, state, failureText: this.failureText };
    this.worker = new Worker(THREAD_SCRIPT, { workerData: data });
    while (Atomics.load(this.state, READY) === 0) {
      Atomics.wait(this.state, READY, 0, 1000);
      if (this.worker.threadId === -1) throw new Error('the log thread stopped before it started');
    }
    if (Atomics.load(this.state, READY) !== 1) throw failureOf(this.state, this.failureText);
  }

  open(relPath: string, kind: FeedKind): FeedWriter {
    const inner = this.inner.open(relPath, kind);
    const id = this.files++;
    this.room(10 + 3 * relPath.length);
    const b = this.b;
    b[this.p] = OPEN;
    b.writeUInt32LE(id, this.p + 1);
    b[this.p + 5] = KINDS.indexOf(kind);
    const n = b.write(relPath, this.p + 10, 'utf8');
    b.writeUInt32LE(n, this.p + 6);
    this.p += 10 + n;
    return new TapWriter(inner, this, id);
  }

  line(file: number, line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: room for that, and the line is written once.
    this.room(LINE_HEAD + 3 * line.length);
    const b = this.b;
    const p = this.p;
    b[p] = LINE;
    b.writeUInt32LE(file, p + 1);
    b.writeDoubleLE(this.clock(), p + 5);
    const n = b.write(line, p + LINE_HEAD, 'utf8');
    b.writeUInt32LE(n, p + 13);
    this.p = p + LINE_HEAD + n;
  }

  private room(n: number): void {
    if (this.p + n <= this.b.length) return;
    this.flush();
    // A line longer than a buffer (none of the twin's are) goes in one of its own.
    if (n > this.b.length) this.b = Buffer.from(new SharedArrayBuffer(n));
  }

  /** Hands the buffer so far to the log thread and waits for the next of the ring to be free. */
  private flush(): void {
    if (this.p === 0) return;
    this.check();
    if (this.b.buffer !== this.views[this.k].buffer) {
      // A one-off buffer, never used again: the ring's buffer k is still free.
      this.worker.postMessage({ t: 'buffer', id: -1, n: this.p, own: this.b.buffer as SharedArrayBuffer } satisfies ToLog);
    } else {
      Atomics.store(this.state, FLAGS + this.k, 1);
      this.worker.postMessage({ t: 'buffer', id: this.k, n: this.p } satisfies ToLog);
      this.k = (this.k + 1) % RING;
      while (Atomics.load(this.state, FLAGS + this.k) !== 0) {
        Atomics.wait(this.state, FLAGS + this.k, 1, 1000);
        this.check();
        if (this.worker.threadId === -1) throw new Error('the log thread stopped before the run ended');
      }
    }
    this.p = 0;
    this.b = this.views[this.k];
  }

  /** Raises the log thread's failure, if it had one. */
  private check(): void {
    if (Atomics.load(this.state, FAILED) !== 0) throw failureOf(this.state, this.failureText);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inner.close();
    this.flush();
    const reply = new Promise<FromLog>((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
      this.worker.once('exit', () => reject(new Error('the log thread stopped before the log was closed')));
    });
    this.worker.postMessage({ t: 'close', endMs: this.clock() } satisfies ToLog);
    const r = await reply;
    await this.worker.terminate();
    if (r.t === 'failed') throw r.output ? new OutputError(r.message) : new Error(r.message);
    this.logBytes = r.bytes;
  }
}

/** Writers of a sink that keeps nothing: on the log thread the lines are only recorded. */
const NOWHERE: FeedSink = {
  open: () => ({ write() {}, records: 0, bytes: 0 }),
  close: async () => {},
};

/** The log thread: records each buffer's lines, in order, at their times. */
function logThread(data: LogThreadData): void {
  const port = parentPort!;
  const state = new Int32Array(data.state);
  const views = data.buffers.map((s) => Buffer.from(s));
  let now = 0;
  let failure: { output: boolean; message: string } | null = null;
  const fail = (err: unknown): void => {
    if (failure !== null) return;
    const e = err as Error;
    failure = { output: e instanceof OutputError, message: e?.message ?? String(err) };
    const n = new TextEncoder().encodeInto(JSON.stringify(failure), new Uint8Array(data.failureText)).written;
    Atomics.store(state, FAILURE_LENGTH, n);
    Atomics.store(state, FAILED, 1);
  };
  let rec: RecordingSink;
  try {
    rec = new RecordingSink(NOWHERE, data.file, { scenario: data.scenario, sourceText: data.sourceText, clock: () => now });
    Atomics.store(state, READY, 1);
  } catch (err) {
    fail(err);
    Atomics.store(state, READY, 2);
    Atomics.notify(state, READY);
    return;
  }
  Atomics.notify(state, READY);
  const writers: FeedWriter[] = [];

  const record = (b: Buffer, n: number): void => {
    for (let p = 0; p < n; ) {
      const file = b.readUInt32LE(p + 1);
      if (b[p] === LINE) {
        now = b.readDoubleLE(p + 5);
        const len = b.readUInt32LE(p + 13);
        writers[file].write(b.toString('utf8', p + LINE_HEAD, p + LINE_HEAD + len));
        p += LINE_HEAD + len;
      } else {
        const len = b.readUInt32LE(p + 6);
        writers[file] = rec.open(b.toString('utf8', p + 10, p + 10 + len), KINDS[b[p + 5]]);
        p += 10 + len;
      }
    }
  };

  port.on('message', (m: ToLog) => {
    if (m.t === 'buffer') {
      if (failure === null) {
        try {
          record(m.own ? Buffer.from(m.own) : views[m.id], m.n);
        } catch (err) {
          fail(err);
        }
      }
      if (m.id >= 0) {
        Atomics.store(state, FLAGS + m.id, 0);
        Atomics.notify(state, FLAGS + m.id);
      }
      return;
    }
    now = m.endMs;
    void (async () => {
      if (failure === null) {
        try {
          await rec.close();
        } catch (err) {
          fail(err);
        }
      }
      port.postMessage((failure === null ? { t: 'closed', bytes: rec.logBytes } : { t: 'failed', ...failure }) satisfies FromLog);
    })();
  });
}

if (!isMainThread && (workerData as Partial<LogThreadData> | null)?.logThread === true) logThread(workerData as LogThreadData);
