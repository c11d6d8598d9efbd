/**
 * The one way a feed leaves the simulator. A recorder opens a writer per file
 * (a path relative to the run directory, e.g. `feeds/dsp-ast.jsonl`) and
 * writes one record per call; the sink decides where the bytes go:
 *
 * - FileSink: files under a run directory, through a buffer per file, with
 *   the SHA-256 of every file computed as its bytes are flushed.
 * - MemorySink: lines kept in memory (tests).
 * - TeeSink: the same records to several sinks (e.g. files and a live stream),
 *   so that a new destination never changes the code that writes records.
 *
 * FileSink writes into the directory it is given and truncates any file it
 * opens there; the command line gives it a fresh staging directory, never a
 * finished run (src/feeds/run-dir.ts).
 *
 * Longer than 350 lines on purpose: the three sinks share the writer
 * contract, OutputError and the path check, and the writer thread is only
 * FileSink's; split, each part would import the others.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LineBytes, spellLine, type Speller } from './bytes.js';
import { OUTPUT_BLOCK, directWrites, outputFiles } from './direct-io.js';

export type FeedKind = 'jsonl' | 'csv' | 'ndxml';

export interface FeedWriter {
  /** One record, without its newline. */
  write(line: string): void;
  /** Records written so far. */
  readonly records: number;
  /** Bytes written so far (UTF-8, newlines included). */
  readonly bytes: number;
}

export interface FeedSink {
  open(relPath: string, kind: FeedKind): FeedWriter;
  /** Flushes and closes every writer; no write may follow. */
  close(): Promise<void>;
}

/** A file as written, for the manifest. */
export interface WrittenFile {
  path: string;
  kind: FeedKind;
  records: number;
  bytes: number;
  sha256: string;
}

/** The run directory or one of its files cannot be created or written: the environment (disk, permissions). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Subdirectory of the run directory that holds the feeds (docs/feeds.md). */
export const FEEDS_DIR = 'feeds';

/** A file-system error in words, for one-line messages. */
export function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EEXIST':
      return 'a file of that name is in the way';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return e?.message ?? String(err);
  }
}

/**
 * Creates the run directory and `feeds/` inside it and checks that files can
 * be written there (by writing and removing a probe file), before any
 * simulation work. Throws an OutputError naming the directory and the reason.
 */
export function prepareRunDir(dir: string): void {
  const feeds = path.join(dir, FEEDS_DIR);
  try {
    fs.mkdirSync(feeds, { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot create run directory ${dir}: ${reason(err)}`);
  }
  if (!fs.statSync(feeds).isDirectory()) {
    throw new OutputError(`cannot use run directory ${dir}: ${feeds} is not a directory`);
  }
  for (const d of [dir, feeds]) {
    const probe = path.join(d, `.write-probe-${process.pid}`);
    try {
      fs.writeFileSync(probe, 'probe');
      fs.rmSync(probe);
    } catch (err) {
      throw new OutputError(`cannot write to run directory ${d}: ${reason(err)}`);
    }
  }
}

/** A relative path inside the run directory, normalised with `/`; throws on anything that could escape it. */
export function checkRelPath(relPath: string): string {
  const norm = path.posix.normalize(relPath.replace(/\\/g, '/'));
  if (relPath === '' || norm.startsWith('/') || norm === '.' || norm === '..' || norm.startsWith('../') || /^[A-Za-z]:/.test(norm)) {
    throw new OutputError(`feed path ${JSON.stringify(relPath)} is not a relative path inside the run directory`);
  }
  return norm;
}

const FIRST_BUFFER = 64 * 1024;
/** Buffers grow to this size; bounds memory per open file. */
const MAX_BUFFER = 2 * 1024 * 1024;
/** Bytes handed to the writer thread and not yet on disk before write() waits. */
const MAX_PENDING = 64 * 1024 * 1024;

/**
 * The writer thread: it takes filled buffers (shared memory, not copied),
 * hashes them and writes them with synchronous calls around the page cache
 * where the file system allows it (src/feeds/direct-io.ts, whose function's
 * source text it runs), so that disk and SHA-256 run on the second core while
 * the simulation fills the next buffers. Order within a file is the order of messages, which the port
 * keeps. A failed write is reported at once through a flag the writing side
 * checks on every flush, and in full when the sink closes.
 */
const WRITER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const output = (${outputFiles.toString()})(fs, workerData.direct);
const state = new Int32Array(workerData.state);
const failureText = new Uint8Array(workerData.failureText);
const files = new Map();
let failure = null;
// The first failure, as JSON in shared memory, so that the writing side can name it at once.
function failed(file, err) {
  if (failure !== null) return;
  failure = { file, code: err.code, message: err.message };
  const n = new TextEncoder().encodeInto(JSON.stringify(failure), failureText).written;
  Atomics.store(state, 2, n);
  Atomics.store(state, 1, 1);
}
parentPort.on('message', (m) => {
  if (m.t === 'open') {
    let out = null;
    if (workerData.store) try { out = output.open(m.file); } catch (err) { failed(m.file, err); }
    files.set(m.id, { out, file: m.file, hash: createHash('sha256') });
  } else if (m.t === 'write') {
    const f = files.get(m.id);
    const b = Buffer.from(m.buf, m.off, m.n);
    if (failure === null) {
      try {
        f.hash.update(b);
        if (f.out !== null) output.write(f.out, b, 0, m.n);
      } catch (err) {
        failed(f.file, err);
      }
    }
    Atomics.sub(state, 0, m.n);
    Atomics.notify(state, 0);
    // Full-size buffers go back to be filled again (fresh memory costs a page fault per 4 KiB on first touch),
    // each swapped once for one at an address direct writes take, which are then written without a copy.
    if (m.full) {
      const swap = m.aligned ? null : output.alignedBuffer(workerData.reuseSize);
      if (swap !== null) parentPort.postMessage({ t: 'free', buf: swap.buffer, off: swap.byteOffset, aligned: true });
      else parentPort.postMessage({ t: 'free', buf: m.buf, off: m.off, aligned: m.aligned });
    }
  } else if (m.t === 'close') {
    const digests = {};
    for (const [id, f] of files) {
      try { if (f.out !== null) output.close(f.out); } catch (err) { failed(f.file, err); }
      digests[id] = f.hash.digest('hex');
    }
    parentPort.postMessage({ t: 'closed', digests, failure });
  }
});
`;

class FileWriter implements FeedWriter {
  records = 0;
  bytes = 0;
  sha256 = '';
  /** The buffer being filled and the position in it; records are spelled straight into it. */
  private readonly out: LineBytes;
  closed = false;

  constructor(
    readonly id: number,
    readonly path: string,
    readonly kind: FeedKind,
    readonly file: string,
    private readonly thread: WriterThread,
  ) {
    this.out = new LineBytes(thread.buffer(FIRST_BUFFER), 0, (need) => this.spill(need));
  }

  write(line: string): void {
    if (this.closed) throw new OutputError(`write to ${this.path} after the sink was closed`);
    const out = this.out;
    out.start = out.pos;
    // A UTF-16 code unit is at most 3 UTF-8 bytes; reserve that plus the newline.
    out.room(line.length * 3 + 1);
    const n = out.buf.write(line, out.pos, 'utf8');
    out.buf[out.pos + n] = 10;
    out.pos += n + 1;
    this.bytes += n + 1;
    this.records++;
  }

  /** One record spelled by `spell` straight into the buffer, and its newline. */
  spell<R>(spell: Speller<R>, record: R): void {
    if (this.closed) throw new OutputError(`write to ${this.path} after the sink was closed`);
    const out = this.out;
    out.start = out.pos;
    try {
      spell(out, record);
    } catch (err) {
      // A record that cannot be spelled (a time outside years 0000-9999) leaves nothing behind, as a serialiser that threw did.
      out.pos = out.start;
      throw err;
    }
    out.byte(10);
    this.bytes += out.pos - out.start;
    this.records++;
  }

  /**
   * The buffer is too full for `need` more bytes of the record being written:
   * the whole blocks of records before it go to the writer thread, and the
   * rest with the record so far moves to the front of the next buffer, one
   * larger than the largest (MAX_BUFFER) if the record needs it.
   */
  private spill(need: number): void {
    const out = this.out;
    const old = out.buf;
    // Whole blocks go out (the writer thread then writes them with no copy); the rest moves with the record so far.
    const cut = out.start - (out.start % OUTPUT_BLOCK);
    const kept = out.pos - cut;
    let size = old.length < MAX_BUFFER ? Math.min(MAX_BUFFER, old.length * 2) : MAX_BUFFER;
    if (size < kept + need) size = kept + need;
    const next = this.thread.buffer(size);
    old.copy(next, 0, cut, out.pos);
    if (cut > 0) this.thread.send(this, old, cut);
    out.use(next, kept);
    out.start -= cut;
  }

  /** Hands the buffer to the writer thread; a full buffer is replaced by a larger one up to MAX_BUFFER. */
  flush(): void {
    const out = this.out;
    if (out.pos === 0) return;
    const len = out.buf.length;
    const size = Math.min(MAX_BUFFER, len < MAX_BUFFER && out.pos * 2 > len ? len * 2 : len);
    this.thread.send(this, out.buf, out.pos);
    out.use(this.thread.buffer(size), 0);
    out.start = 0;
  }

  written(): WrittenFile {
    return { path: this.path, kind: this.kind, records: this.records, bytes: this.bytes, sha256: this.sha256 };
  }
}

/**
 * One record through a feed's speller: straight into a file's buffer, or as
 * the line it spells for any other writer (memory, the live stream, the event
 * log), so that every sink sees the same bytes.
 */
export function writeRecord<R>(w: FeedWriter, spell: Speller<R>, record: R): void {
  if (w instanceof FileWriter) w.spell(spell, record);
  else w.write(spellLine(spell, record));
}

/** The writing side of the writer thread, with back-pressure on the bytes in flight. */
class WriterThread {
  /** [bytes in flight, failed, length of the failure's JSON]. */
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly failureText = new Uint8Array(new SharedArrayBuffer(4096));
  private readonly worker: Worker;
  /** MAX_BUFFER-sized buffers the thread has written and handed back. */
  private readonly spare: Buffer[] = [];
  /** Those of them at an address direct writes take (the thread made them so). */
  private readonly aligned = new WeakSet<Buffer>();

  constructor(store: boolean, direct: boolean) {
    this.worker = new Worker(WRITER_THREAD, { eval: true, workerData: { state: this.state.buffer, failureText: this.failureText.buffer, reuseSize: MAX_BUFFER, store, direct: directWrites(direct) } });
    this.worker.on('message', (m: { t: string; buf?: ArrayBuffer; off?: number; aligned?: boolean }) => {
      if (m.t === 'free' && this.spare.length < MAX_PENDING / MAX_BUFFER) {
        const b = Buffer.from(m.buf!, m.off, MAX_BUFFER);
        if (m.aligned) this.aligned.add(b);
        this.spare.push(b);
      }
    });
  }

  /**
   * A buffer of `size` bytes to fill: a spare one when there is one of that
   * size. Shared memory, handed to the thread and back without a transfer:
   * once any ArrayBuffer in the process has been detached (transferred), V8
   * checks for detachment on every typed-array access in optimised code, the
   * simulation's tables and the feeds' byte writer included (about a fifth
   * more time for a record spelled). The writing side never touches a buffer
   * after sending it until the thread hands it back.
   */
  buffer(size: number): Buffer {
    return (size === MAX_BUFFER && this.spare.pop()) || Buffer.from(new SharedArrayBuffer(size));
  }

  /** The thread opens (and owns) the file itself. */
  open(id: number, file: string): void {
    this.worker.postMessage({ t: 'open', id, file });
  }

  send(w: FileWriter, buf: Buffer, n: number): void {
    this.check();
    // Wait while the thread is far behind: memory stays bounded whatever the disk's speed.
    for (let pending = Atomics.load(this.state, 0); pending > MAX_PENDING; pending = Atomics.load(this.state, 0)) {
      Atomics.wait(this.state, 0, pending, 1000);
      this.check();
    }
    Atomics.add(this.state, 0, n);
    // Shared, not transferred: detaching an ArrayBuffer would slow every typed-array access in the process (see buffer()).
    this.worker.postMessage({ t: 'write', id: w.id, buf: buf.buffer, off: buf.byteOffset, n, full: buf.length === MAX_BUFFER, aligned: this.aligned.has(buf) });
  }

  private check(): void {
    if (Atomics.load(this.state, 1) !== 0) {
      const n = Atomics.load(this.state, 2);
      let failure: { file: string; code?: string; message: string } = { file: 'a feed file', message: 'unknown error' };
      try {
        // Copied out: TextDecoder does not read shared memory.
        failure = JSON.parse(Buffer.from(this.failureText.slice(0, n)).toString('utf8'));
      } catch {
        // a message cut at the buffer's end: keep the plain one
      }
      throw new OutputError(`cannot write ${failure.file}: ${reason(failure)}`);
    }
  }

  async close(): Promise<{ digests: Record<number, string>; failure: { file: string; code?: string; message: string } | null }> {
    const done = new Promise<{ digests: Record<number, string>; failure: { file: string; code?: string; message: string } | null }>((resolve, reject) => {
      this.worker.on('message', (m) => {
        if (m.t === 'closed') resolve(m);
      });
      this.worker.once('error', reject);
    });
    this.worker.postMessage({ t: 'close' });
    try {
      return await done;
    } finally {
      await this.worker.terminate();
    }
  }
}

/**
 * Feeds as files under a run directory (see prepareRunDir). `store: false`
 * spells, counts and hashes every file but writes none: for benchmarks of
 * runs whose feeds would not fit on the disk. `direct`: write them around
 * the page cache (src/feeds/direct-io.ts), for runs that nothing reads back
 * at once.
 */
export class FileSink implements FeedSink {
  private readonly writers = new Map<string, FileWriter>();
  private closed = false;
  private thread: WriterThread | null = null;

  constructor(
    readonly runDir: string,
    private readonly store = true,
    private readonly direct = false,
  ) {}

  open(relPath: string, kind: FeedKind): FeedWriter {
    if (this.closed) throw new OutputError(`cannot open ${relPath}: the sink is closed`);
    const rel = checkRelPath(relPath);
    if (this.writers.has(rel)) throw new OutputError(`${rel} is already open in this run`);
    const file = path.join(this.runDir, rel);
    try {
      if (this.store) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Created (or truncated, replacing an earlier run's) here so that a problem is reported now.
        fs.closeSync(fs.openSync(file, 'w'));
      }
    } catch (err) {
      throw new OutputError(`cannot create ${file}: ${reason(err)}`);
    }
    this.thread ??= new WriterThread(this.store, this.direct);
    const w = new FileWriter(this.writers.size, rel, kind, file, this.thread);
    this.thread.open(w.id, file);
    this.writers.set(rel, w);
    return w;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.writers.values()) {
      w.flush();
      w.closed = true;
    }
    if (this.thread === null) return;
    const { digests, failure } = await this.thread.close();
    this.thread = null;
    if (failure !== null) throw new OutputError(`cannot write ${failure.file}: ${reason(failure)}`);
    for (const w of this.writers.values()) w.sha256 = digests[w.id];
  }

  /** Every file opened, sorted by path; records, bytes and SHA-256 are final once closed. */
  written(): WrittenFile[] {
    if (!this.closed) throw new OutputError('the file list is final only after close()');
    return [...this.writers.values()].map((w) => w.written()).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Lines kept in an array (MemorySink's; the live server's sink takes them away a batch at a time). */
export class MemoryWriter implements FeedWriter {
  records = 0;
  bytes = 0;
  lines: string[] = [];
  closed = false;

  constructor(readonly path: string, readonly kind: FeedKind) {}

  write(line: string): void {
    if (this.closed) throw new OutputError(`write to ${this.path} after the sink was closed`);
    this.lines.push(line);
    this.records++;
    this.bytes += Buffer.byteLength(line, 'utf8') + 1;
  }
}

/** Feeds kept in memory, one array of lines per path (tests). */
export class MemorySink implements FeedSink {
  private readonly writers = new Map<string, MemoryWriter>();
  private closed = false;

  open(relPath: string, kind: FeedKind): FeedWriter {
    if (this.closed) throw new OutputError(`cannot open ${relPath}: the sink is closed`);
    const rel = checkRelPath(relPath);
    if (this.writers.has(rel)) throw new OutputError(`${rel} is already open in this run`);
    const w = new MemoryWriter(rel, kind);
    this.writers.set(rel, w);
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.writers.values()) w.closed = true;
  }

  /** Paths opened, in the order they were opened. */
  paths(): string[] {
    return [...this.writers.keys()];
  }

  /** The lines written to `relPath` (empty if it was never opened). */
  lines(relPath: string): readonly string[] {
    return this.writers.get(checkRelPath(relPath))?.lines ?? [];
  }

  /** The file's content as FileSink would have written it. */
  text(relPath: string): string {
    const lines = this.lines(relPath);
    return lines.length === 0 ? '' : lines.join('\n') + '\n';
  }

  /** Every file opened, sorted by path, with the SHA-256 its content would have. */
  written(): WrittenFile[] {
    return [...this.writers.values()]
      .map((w) => ({
        path: w.path,
        kind: w.kind,
        records: w.records,
        bytes: w.bytes,
        sha256: createHash('sha256').update(this.text(w.path), 'utf8').digest('hex'),
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/**
 * A writer in front of another (a tee, the event log's recorder or tap): it
 * passes every line on to `inner`, whose counts are its own.
 */
export abstract class ForwardingWriter implements FeedWriter {
  constructor(protected readonly inner: FeedWriter) {}

  abstract write(line: string): void;

  get records(): number {
    return this.inner.records;
  }

  get bytes(): number {
    return this.inner.bytes;
  }
}

class TeeWriter extends ForwardingWriter {
  constructor(private readonly targets: FeedWriter[]) {
    super(targets[0]);
  }

  write(line: string): void {
    for (let i = 0; i < this.targets.length; i++) this.targets[i].write(line);
  }
}

/** The same records to every sink given; counts are the first sink's. */
export class TeeSink implements FeedSink {
  private readonly sinks: FeedSink[];

  constructor(first: FeedSink, ...rest: FeedSink[]) {
    this.sinks = [first, ...rest];
  }

  open(relPath: string, kind: FeedKind): FeedWriter {
    return new TeeWriter(this.sinks.map((s) => s.open(relPath, kind)));
  }

  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
  }
}
