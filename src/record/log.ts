/**
 * The log file's framing, both ways: the magic, then records each framed as
 * varint length, a Record message (twinlog.proto, loaded at run time with
 * protobufjs: no generated code to keep in step) and the CRC-32 of the
 * message, so that a reader stops at the first bad record and names its byte
 * offset. The writer hashes every byte it writes (SHA-256) for the trailer.
 * What the records mean is recorder.ts's and replay.ts's.
 *
 * Longer than most files on purpose: the writer, the reader and the reader's
 * fast path for the bulk records are the two sides of one framing and one
 * .proto, kept where a change to one is seen beside the others.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import protobuf from 'protobufjs';
import { OutputError, reason } from '../feeds/sink.js';
import { BadLog } from './bad-log.js';

export { BadLog };

export const MAGIC = Buffer.from('TWINLOG1', 'latin1');
export const FORMAT = 1;
/** A record longer than this is no record of ours: a corrupt length. */
const MAX_RECORD = 64 * 1024 * 1024;
const OUT_BUFFER = 4 * 1024 * 1024;
const READ_CHUNK = 8 * 1024 * 1024;

// The log's 64-bit fields are times and serials well inside 2^53: decoded as numbers, not Long objects.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

export interface HeaderMsg {
  format: number;
  tool: string;
  toolVersion: string;
  scenarioJson: string;
  scenarioSource: string;
  sourceSha256: string;
  seed: number;
  epochMs: number;
  durationMs: number;
}
export interface OpenMsg {
  file: number;
  path: string;
  kind: string;
}
export interface LineMsg {
  file: number;
  dt: number;
  text: string;
}
export interface FieldsMsg {
  file: number;
  dt: number;
  shape: number;
  ints: number[];
  blobs: Uint8Array[];
  texts: string[];
}
export interface TrailerMsg {
  paths: string[];
  lines: number[];
  records: number;
  sha256: string;
  endMs: number;
}
/** One record: exactly one kind is set (a decoded record has null for the others). */
export interface RecordMsg {
  header?: HeaderMsg | null;
  open?: OpenMsg | null;
  intern?: { text: string } | null;
  shape?: { keys: number[]; kinds: number[] } | null;
  line?: LineMsg | null;
  fields?: FieldsMsg | null;
  trailer?: TrailerMsg | null;
}

/** The .proto beside this module's source, found from src/ or dist/src/. */
function protoFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = path.join(dir, 'src', 'record', 'twinlog.proto');
    if (fs.existsSync(p)) return p;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`twinlog.proto not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let recordType: protobuf.Type | null = null;
function Record(): protobuf.Type {
  recordType ??= protobuf.loadSync(protoFile()).lookupType('dcctwin.record.Record');
  return recordType;
}

/** Writes framed records to a file, hashing what it writes. */
export class LogWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(OUT_BUFFER);
  private pos = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly pw = protobuf.Writer.create();
  private readonly type = Record();
  /** Records written so far, the header included. */
  records = 0;
  bytes = 0;

  constructor(readonly file: string) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.fd = fs.openSync(file, 'w');
    } catch (err) {
      throw new OutputError(`cannot create the log ${file}: ${reason(err)}`);
    }
    this.put(MAGIC);
  }

  write(msg: RecordMsg): void {
    this.type.encode(msg, this.pw);
    // A view of the writer's own buffer, copied below before the writer is reset for the next record.
    const body = this.pw.finish(true);
    const n = body.length;
    if (this.pos + n + 9 > this.buf.length) {
      this.flush();
      if (n + 9 > this.buf.length) this.buf = Buffer.allocUnsafe(n + 9);
    }
    let len = n;
    while (len > 127) {
      this.buf[this.pos++] = (len & 127) | 128;
      len >>>= 7;
    }
    this.buf[this.pos++] = len;
    this.buf.set(body, this.pos);
    this.pos += n;
    this.pos = this.buf.writeUInt32LE(zlib.crc32(body), this.pos);
    this.pw.reset();
    this.records++;
  }

  /** SHA-256 of every byte so far: what the trailer carries (call it just before writing the trailer). */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  private put(b: Buffer): void {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.hash.update(chunk);
    try {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
    } catch (err) {
      throw new OutputError(`cannot write the log ${this.file}: ${reason(err)}`);
    }
    this.bytes += chunk.length;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    try {
      fs.closeSync(this.fd);
    } catch (err) {
      throw new OutputError(`cannot write the log ${this.file}: ${reason(err)}`);
    }
  }
}

/**
 * Reads framed records in order, a chunk at a time. `offset` is where the
 * last record returned began. Throws a BadLog at the first record that is cut
 * short, fails its CRC or does not decode.
 */
export class LogReader {
  private readonly fd: number;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** File offset of buf[0]. */
  private base = 0;
  private eof = false;
  private readonly type = Record();
  /** Where the record last returned began. */
  offset = 0;
  /** Where the next record begins. */
  next = 0;
  private readonly hash: Hash = createHash('sha256');
  private hashed = 0;

  constructor(readonly file: string) {
    try {
      this.fd = fs.openSync(file, 'r');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') throw new BadLog(file, 0, 'no such file');
      throw new OutputError(`cannot read the log ${file}: ${reason(err)}`);
    }
    if (!this.fill(MAGIC.length) || !this.buf.subarray(0, MAGIC.length).equals(MAGIC)) {
      this.close();
      throw new BadLog(file, 0, 'not a dcc-twin log (it does not begin with TWINLOG1)');
    }
    this.pos = MAGIC.length;
    this.next = this.pos;
  }

  /** Makes at least `n` bytes available from pos; false at the end of the file. */
  private fill(n: number): boolean {
    while (this.buf.length - this.pos < n && !this.eof) {
      const chunk = Buffer.allocUnsafe(Math.max(READ_CHUNK, n));
      let got: number;
      try {
        got = fs.readSync(this.fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw new OutputError(`cannot read the log ${this.file}: ${reason(err)}`);
      }
      if (got === 0) this.eof = true;
      // Bytes already used are hashed and dropped.
      this.hashUpTo(this.pos);
      this.base += this.pos;
      this.hashed -= this.pos;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, got)]);
      this.pos = 0;
    }
    return this.buf.length - this.pos >= n;
  }

  private hashUpTo(end: number): void {
    if (end > this.hashed) {
      this.hash.update(this.buf.subarray(this.hashed, end));
      this.hashed = end;
    }
  }

  /** SHA-256 of every byte before the record last returned (what a trailer's sha256 covers). */
  digestBefore(): string {
    this.hashUpTo(this.offset - this.base);
    return this.hash.copy().digest('hex');
  }

  /** The next record, or null at the end of the file. */
  read(): RecordMsg | null {
    return this.readFrame() ? this.decode() : null;
  }

  /** The body of the record last framed: bytes bodyStart to bodyEnd of `buffer`, valid until the next readFrame. */
  buffer: Buffer = this.buf;
  bodyStart = 0;
  bodyEnd = 0;

  /** Frames the next record and checks its CRC; false at the end of the file. */
  readFrame(): boolean {
    this.offset = this.base + this.pos;
    if (!this.fill(1)) return false;
    // Offsets from pos: fill() may move the buffer, never pos's byte.
    let len = 0;
    let shift = 0;
    let head = 0;
    for (;;) {
      if (!this.fill(head + 1)) throw new BadLog(this.file, this.offset, 'cut short in its length');
      const b = this.buf[this.pos + head++];
      len += (b & 127) * 2 ** shift;
      shift += 7;
      if (b < 128) break;
      if (shift > 35) throw new BadLog(this.file, this.offset, 'a malformed length');
    }
    if (len > MAX_RECORD) throw new BadLog(this.file, this.offset, `a length of ${len} bytes, more than any record`);
    if (!this.fill(head + len + 4)) {
      throw new BadLog(this.file, this.offset, `cut short: ${len + 4} bytes expected after its length, ${this.buf.length - this.pos - head} left`);
    }
    const p = this.pos + head;
    if (zlib.crc32(this.buf.subarray(p, p + len)) !== this.buf.readUInt32LE(p + len)) {
      throw new BadLog(this.file, this.offset, 'its CRC-32 does not match (the record is corrupt)');
    }
    this.buffer = this.buf;
    this.bodyStart = p;
    this.bodyEnd = p + len;
    this.pos = p + len + 4;
    this.next = this.base + this.pos;
    return true;
  }

  /** The record last framed, decoded by protobufjs. */
  decode(): RecordMsg {
    try {
      return this.type.decode(this.buffer.subarray(this.bodyStart, this.bodyEnd)) as unknown as RecordMsg;
    } catch (err) {
      throw new BadLog(this.file, this.offset, `does not decode (${(err as Error).message})`);
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // read-only: nothing to lose
    }
  }
}

/** A Line or Fields record as decodeHot fills it: one object, reused for every record. */
export interface HotRecord {
  /** 5: Line, 6: Fields (their field numbers in Record). */
  kind: number;
  file: number;
  dt: number;
  shape: number;
  text: string;
  ints: number[];
  blobs: Buffer[];
  texts: string[];
}

export function hotRecord(): HotRecord {
  return { kind: 0, file: 0, dt: 0, shape: 0, text: '', ints: [], blobs: [], texts: [] };
}

/**
 * Decodes a Line or Fields record straight from its bytes, by twinlog.proto's
 * field numbers: the bulk of a log, read without an object per field or a
 * Long per 64-bit value. Returns false for any other record, or any byte it
 * does not expect there; the caller then decodes it with protobufjs.
 */
// The hot decoder's cursor: module state rather than closures, so that a record allocates nothing to read.
let buf: Buffer = Buffer.alloc(0);
let p = 0;
let end = 0;

/** A varint, as a number (exact below 2^53, which every value of ours is); NaN past the end. */
function varint(): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return NaN;
    const b = buf[p++];
    v += (b & 127) * mul;
    if (b < 128) return v;
    mul *= 128;
  }
  return NaN;
}

function zigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}

export function decodeHot(from: Buffer, start: number, stop: number, out: HotRecord): boolean {
  buf = from;
  p = start;
  end = stop;
  const tag = buf[p++];
  if (tag !== 0x2a && tag !== 0x32) return false;
  const kind = tag >>> 3;
  const len = varint();
  if (p + len !== end) return false;
  out.kind = kind;
  out.file = 0;
  out.dt = 0;
  out.shape = 0;
  out.text = '';
  out.ints.length = 0;
  out.blobs.length = 0;
  out.texts.length = 0;
  while (p < end) {
    const t = varint();
    const field = t >>> 3;
    const wire = t & 7;
    if (wire === 0) {
      const v = varint();
      if (v !== v) return false;
      if (field === 1) out.file = v;
      else if (field === 2) out.dt = zigzag(v);
      else if (field === 3 && kind === 6) out.shape = v;
      else if (field === 4 && kind === 6) out.ints.push(zigzag(v));
      else return false;
    } else if (wire === 2) {
      const n = varint();
      if (n !== n || p + n > end) return false;
      const e = p + n;
      if (field === 3 && kind === 5) out.text = buf.toString('utf8', p, e);
      else if (field === 4 && kind === 6) {
        while (p < e) {
          const v = varint();
          if (v !== v) return false;
          out.ints.push(zigzag(v));
        }
      } else if (field === 5 && kind === 6) out.blobs.push(buf.subarray(p, e));
      else if (field === 6 && kind === 6) out.texts.push(buf.toString('utf8', p, e));
      else return false;
      p = e;
    } else {
      return false;
    }
  }
  return true;
}
