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
 * A run directory that already holds files from an earlier run is reused:
 * each file the new run opens is truncated and rewritten, so the new run
 * replaces those files; files the new run does not write are left alone.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

/** The run directory or one of its files cannot be created or written. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Subdirectory of the run directory that holds the feeds (docs/feeds.md). */
export const FEEDS_DIR = 'feeds';

function reason(err: unknown): string {
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

class FileWriter implements FeedWriter {
  records = 0;
  bytes = 0;
  private buf = Buffer.allocUnsafe(FIRST_BUFFER);
  private pos = 0;
  private readonly hash: Hash = createHash('sha256');
  private closed = false;
  private digest = '';

  constructor(
    readonly path: string,
    readonly kind: FeedKind,
    private readonly file: string,
    private fd: number,
  ) {}

  write(line: string): void {
    if (this.closed) throw new OutputError(`write to ${this.path} after the sink was closed`);
    // A UTF-16 code unit is at most 3 UTF-8 bytes; reserve that plus the newline.
    const worst = line.length * 3 + 1;
    if (this.pos + worst > this.buf.length) {
      this.flush();
      if (worst > this.buf.length) {
        if (this.buf.length < MAX_BUFFER) this.buf = Buffer.allocUnsafe(Math.min(MAX_BUFFER, Math.max(worst, this.buf.length * 2)));
        if (worst > this.buf.length) {
          // A record larger than the buffer goes out on its own.
          const big = Buffer.from(line + '\n', 'utf8');
          this.out(big, big.length);
          this.records++;
          this.bytes += big.length;
          return;
        }
      }
    }
    const n = this.buf.write(line, this.pos, 'utf8');
    this.buf[this.pos + n] = 10;
    this.pos += n + 1;
    this.bytes += n + 1;
    this.records++;
  }

  /** Writes the buffer out; a full buffer is replaced by a larger one up to MAX_BUFFER. */
  flush(): void {
    if (this.pos === 0) return;
    this.out(this.buf, this.pos);
    if (this.buf.length < MAX_BUFFER && this.pos * 2 > this.buf.length) this.buf = Buffer.allocUnsafe(this.buf.length * 2);
    this.pos = 0;
  }

  private out(b: Buffer, n: number): void {
    this.hash.update(b.subarray(0, n));
    let off = 0;
    try {
      while (off < n) off += fs.writeSync(this.fd, b, off, n - off);
    } catch (err) {
      throw new OutputError(`cannot write ${this.file}: ${reason(err)}`);
    }
  }

  close(): WrittenFile {
    if (!this.closed) {
      this.flush();
      this.closed = true;
      try {
        fs.closeSync(this.fd);
      } catch (err) {
        throw new OutputError(`cannot close ${this.file}: ${reason(err)}`);
      }
      this.fd = -1;
      this.buf = Buffer.alloc(0);
      this.digest = this.hash.digest('hex');
    }
    return { path: this.path, kind: this.kind, records: this.records, bytes: this.bytes, sha256: this.digest };
  }
}

/** Feeds as files under a run directory (see prepareRunDir). */
export class FileSink implements FeedSink {
  private readonly writers = new Map<string, FileWriter>();
  private closed = false;

  constructor(readonly runDir: string) {}

  open(relPath: string, kind: FeedKind): FeedWriter {
    if (this.closed) throw new OutputError(`cannot open ${relPath}: the sink is closed`);
    const rel = checkRelPath(relPath);
    if (this.writers.has(rel)) throw new OutputError(`${rel} is already open in this run`);
    const file = path.join(this.runDir, rel);
    let fd: number;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'w'); // truncates a file left by an earlier run
    } catch (err) {
      throw new OutputError(`cannot create ${file}: ${reason(err)}`);
    }
    const w = new FileWriter(rel, kind, file, fd);
    this.writers.set(rel, w);
    return w;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.writers.values()) w.close();
  }

  /** Every file opened, sorted by path; records, bytes and SHA-256 are final once closed. */
  written(): WrittenFile[] {
    if (!this.closed) throw new OutputError('the file list is final only after close()');
    return [...this.writers.values()].map((w) => w.close()).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

class MemoryWriter implements FeedWriter {
  records = 0;
  bytes = 0;
  readonly lines: string[] = [];
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

class TeeWriter implements FeedWriter {
  constructor(private readonly targets: FeedWriter[]) {}
  write(line: string): void {
    for (let i = 0; i < this.targets.length; i++) this.targets[i].write(line);
  }
  get records(): number {
    return this.targets[0].records;
  }
  get bytes(): number {
    return this.targets[0].bytes;
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
