/**
 * A log read record by record, with everything checked that replay must
 * check (docs/record-replay.md, Damage): the header first, each record's
 * CRC-32, files opened in order, shapes naming known strings, the trailer's
 * counts and SHA-256, nothing after it. The string table, the shapes and
 * the simulated time are kept here; what to do with each line is the
 * caller's (replay.ts to a FeedSink, files.ts to a directory on several
 * threads). A scan told which files are its own reads only the file and
 * time of any other file's record: another thread renders it.
 */
import type { FeedKind } from '../feeds/sink.js';
import { BadLog, FORMAT, LogReader, decodeHot, decodeHotRest, hotRecord, type HeaderMsg, type HotRecord } from './log.js';
import { Renderer, bound, compileShape, type Shape } from './render.js';

/** What next() found. */
export const END = 0;
export const OPENED = 2;
export const LINE = 5;
export const FIELDS = 6;

export interface ScanFile {
  path: string;
  kind: FeedKind;
  /** Lines of it read so far. */
  lines: number;
}

const KINDS: readonly FeedKind[] = ['jsonl', 'csv', 'ndxml'];

export interface ScanOptions {
  /** Whether a file's records are this scan's to render (else only their file and time are read); all by default. */
  owned?: (file: number) => boolean;
  /** Check the trailer's SHA-256 (one of several threads reading the same log is enough). */
  digest?: boolean;
  /** Stop with this problem at the record that begins at byte `offset` (another thread found it bad). */
  stopAt?: { offset: number; problem: string };
}

export class LogScan {
  private readonly r: LogReader;
  readonly header: HeaderMsg;
  readonly files: ScanFile[] = [];
  readonly renderer = new Renderer();
  private readonly shapes: Shape[] = [];
  /** The record last returned (LINE or FIELDS). */
  readonly hot: HotRecord = hotRecord();
  /** The shape of the FIELDS record last returned. */
  shape: Shape | null = null;
  /** Simulated ms from the epoch of the record last returned. */
  t = 0;
  records = 0;
  /** The trailer's simulated end, once read. */
  endMs = 0;
  private readonly owned: (file: number) => boolean;
  private readonly stopAt: number;

  constructor(
    readonly file: string,
    private readonly opts: ScanOptions = {},
  ) {
    this.owned = opts.owned ?? (() => true);
    this.stopAt = opts.stopAt?.offset ?? Infinity;
    this.r = new LogReader(file, opts.digest ?? true);
    try {
      const first = this.r.read();
      if (first === null || first.header == null) throw this.fail('the first record is no header');
      this.header = first.header;
      if (this.header.format !== FORMAT) throw this.fail(`log format ${this.header.format}; this version reads format ${FORMAT}`);
    } catch (e) {
      this.r.close();
      throw e;
    }
  }

  /**
   * The record being read is the one named: its offset stays until the next
   * is framed. A record whose CRC-32 was not checked yet (another thread's)
   * is checked first: a corrupt record is named as one, whatever it seems to say.
   */
  fail(problem: string): BadLog {
    this.r.checkCrc();
    return new BadLog(this.file, this.r.offset, problem);
  }

  /** Renders the FIELDS record last returned at b[p...] (room made for boundOf()); returns the end. */
  render(b: Uint8Array, p: number): number {
    try {
      return this.shape!.render(this.renderer, this.hot, b, p, this.header.epochMs + this.t, this.hot.file);
    } catch (e) {
      throw this.fail(`a record that does not fit its shape (${(e as Error).message})`);
    }
  }

  /**
   * Whether the record last returned is in the window from <= t < to (ms
   * from the epoch): a CSV file's first line, its header, is in every window.
   */
  inWindow(from = -Infinity, to = Infinity): boolean {
    const t = this.t;
    if (t >= from && t < to) return true;
    const f = this.files[this.hot.file];
    return f.kind === 'csv' && f.lines === 1;
  }

  /** The most bytes the FIELDS record last returned renders to. */
  boundOf(): number {
    return bound(this.shape!, this.renderer, this.hot);
  }

  /** The next record of interest: OPENED (the last of files), LINE or FIELDS (in hot), or END after the trailer is checked. */
  next(): number {
    const r = this.r;
    const hot = this.hot;
    // Each record's CRC-32 is checked by the thread that renders it (every thread checks those of the records that are no line).
    while (r.readFrame(false)) {
      if (r.offset >= this.stopAt) throw new BadLog(this.file, r.offset, this.opts.stopAt!.problem);
      if (decodeHot(r.buffer, r.bodyStart, r.bodyEnd, hot, 2)) {
        const f = this.files[hot.file];
        if (f === undefined) throw this.fail(`a record of file ${hot.file}, which was never opened`);
        this.t += hot.dt;
        this.records++;
        f.lines++;
        if (!this.owned(hot.file)) continue;
        r.checkCrc();
        if (!decodeHotRest(hot)) throw this.fail('a record this version cannot read');
        if (hot.kind === FIELDS) {
          const s = this.shapes[hot.shape];
          if (s === undefined) throw this.fail(`a record of shape ${hot.shape}, which was never written`);
          if (f.kind !== 'jsonl') throw this.fail(`a structured record of ${f.path}, which is no JSONL file`);
          this.shape = s;
        }
        return hot.kind;
      }
      r.checkCrc();
      const m = r.decode();
      this.records++;
      if (m.open != null) {
        const o = m.open;
        if (o.file !== this.files.length) throw this.fail(`file ${o.file} opened where file ${this.files.length} was expected`);
        if (!KINDS.includes(o.kind as FeedKind)) throw this.fail(`file ${o.path} of unknown kind ${JSON.stringify(o.kind)}`);
        this.files.push({ path: o.path, kind: o.kind as FeedKind, lines: 0 });
        return OPENED;
      } else if (m.intern != null) {
        this.renderer.add(m.intern.text);
      } else if (m.shape != null) {
        const { keys, kinds } = m.shape;
        const strings = this.renderer.strings;
        if (keys.length !== kinds.length || keys.some((k) => strings[k] === undefined)) throw this.fail('a shape that names unknown strings or kinds');
        try {
          this.shapes.push(compileShape(keys.map((k) => strings[k]), kinds));
        } catch {
          throw this.fail('a shape that names unknown strings or kinds');
        }
      } else if (m.trailer != null) {
        this.trailer(m.trailer);
        return END;
      } else if (m.header != null) {
        throw this.fail('a second header');
      } else {
        throw this.fail('a record of no kind this version knows');
      }
    }
    throw new BadLog(this.file, r.next, `the log ends without its trailer (cut short after ${this.records} records)`);
  }

  private trailer(tr: { paths: string[]; lines: number[]; records: number; sha256: string; endMs: number }): void {
    const r = this.r;
    if ((this.opts.digest ?? true) && tr.sha256 !== r.digestBefore()) throw this.fail("the trailer's SHA-256 does not match the records before it");
    // Its own count leaves it out.
    if (tr.records !== this.records - 1) throw this.fail(`the trailer counts ${tr.records} records, the log has ${this.records - 1}`);
    const files = this.files;
    const wrong = files.findIndex((f, i) => tr.lines[i] !== f.lines || tr.paths[i] !== f.path);
    if (wrong >= 0 || tr.paths.length !== files.length) throw this.fail(`the trailer's count of lines for ${files[Math.max(0, wrong)]?.path ?? 'a file'} does not match the log`);
    this.endMs = tr.endMs;
    if (r.read() !== null) throw new BadLog(this.file, r.offset, 'a record after the trailer');
  }

  /** The text of the LINE record last returned. */
  lineText(): string {
    return this.hot.src.toString('utf8', this.hot.textStart, this.hot.textEnd);
  }

  close(): void {
    this.r.close();
  }
}
