/**
 * The log file's framing, both ways: the magic, then records each framed as
 * varint length, a Record message (twinlog.proto, loaded at run time with
 * protobufjs: no generated code to keep in step) and the CRC-32 of the
 * message, so that a reader stops at the first bad record and names its byte
 * offset. The writer hashes every byte it writes (SHA-256) for the trailer.
 * What the records mean is recorder.ts's and replay.ts's.
 *
 * Longer than most files on purpose: the writer, the reader and their own
 * encoder and decoder of the bulk records (Line and Fields, by the .proto's
 * field numbers) are the two sides of one framing and one .proto, kept
 * where a change to one is seen beside the others.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import protobuf from 'protobufjs';
import { OutputError, reason } from '../feeds/sink.js';
import { BadLog } from './bad-log.js';
import { HashedFile } from './hashed-file.js';
import type { Facts } from './values.js';
import type { HotFacts } from './render.js';

export { BadLog };

/** Bytes of `v` (an integer, 0 to 2^54) as a varint. */
function varintLength(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function putVarint(b: Buffer, p: number, v: number): number {
  while (v >= 128) {
    b[p++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  b[p++] = v;
  return p;
}

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

/** Bytes of the file, dt and shape fields (each left out at 0, as protobuf leaves out a default). */
function scalars(file: number, dt: number, shape: number): number {
  return (file === 0 ? 0 : 1 + varintLength(file)) + (dt === 0 ? 0 : 1 + varintLength(zigzag(dt))) + (shape === 0 ? 0 : 1 + varintLength(shape));
}

function putScalars(b: Buffer, p: number, file: number, dt: number, shape: number): number {
  if (file !== 0) {
    b[p++] = 0x08;
    p = putVarint(b, p, file);
  }
  if (dt !== 0) {
    b[p++] = 0x10;
    p = putVarint(b, p, zigzag(dt));
  }
  if (shape !== 0) {
    b[p++] = 0x18;
    p = putVarint(b, p, shape);
  }
  return p;
}

export const MAGIC = Buffer.from('TWINLOG1', 'latin1');
/** 2: a Fields record is the compact JSON line itself, as facts (values.ts); 1 rendered them through each feed's serialiser. */
export const FORMAT = 2;
/** A record longer than this is no record of ours: a corrupt length. */
const MAX_RECORD = 64 * 1024 * 1024;
const OUT_BUFFER = 4 * 1024 * 1024;
const READ_CHUNK = 8 * 1024 * 1024;
/** Records up to this size get their CRC-32 in JavaScript: a call into zlib costs more than a short record's bytes. */
const SMALL_RECORD = 256;

// Slicing by 4: table k gives the CRC of a byte followed by k zero bytes, so four bytes are folded per step.
const CRC_TABLE = new Int32Array(1024);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}
for (let n = 0; n < 256; n++) for (let k = 1; k < 4; k++) CRC_TABLE[k * 256 + n] = (CRC_TABLE[(k - 1) * 256 + n] >>> 8) ^ CRC_TABLE[CRC_TABLE[(k - 1) * 256 + n] & 255];

/** CRC-32 (zlib's) of b[s, e). */
export function crc32(b: Buffer, s: number, e: number): number {
  if (e - s > SMALL_RECORD) return zlib.crc32(b.subarray(s, e));
  const t = CRC_TABLE;
  let c = -1;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    c = t[768 + (c & 255)] ^ t[512 + ((c >>> 8) & 255)] ^ t[256 + ((c >>> 16) & 255)] ^ t[c >>> 24];
  }
  for (; i < e; i++) c = t[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

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

const CORRUPT = 'its CRC-32 does not match (the record is corrupt)';

/** Writes framed records to a file, hashing what it writes. */
export class LogWriter extends HashedFile {
  private readonly pw = protobuf.Writer.create();
  private readonly type = Record();
  /** Records written so far, the header included. */
  records = 0;

  constructor(file: string) {
    super(file, `the log ${file}`, OUT_BUFFER);
    this.buf.set(MAGIC, 0);
    this.pos = MAGIC.length;
  }

  /** Bytes of the log written so far. */
  get bytes(): number {
    return this.flushed;
  }

  /** Any record, through protobufjs: the few that are neither Line nor Fields. */
  write(msg: RecordMsg): void {
    this.type.encode(msg, this.pw);
    // A view of the writer's own buffer, copied below before the writer is reset for the next record.
    const body = this.pw.finish(true);
    const n = body.length;
    this.room(n + 9);
    this.pos = putVarint(this.buf, this.pos, n);
    this.buf.set(body, this.pos);
    this.pos += n;
    this.pos = this.buf.writeUInt32LE(zlib.crc32(body), this.pos);
    this.pw.reset();
    this.records++;
  }

  /** A Line record, encoded here by twinlog.proto's field numbers (the bulk of a log: no message object). */
  writeLine(file: number, dt: number, text: string): void {
    const n = Buffer.byteLength(text, 'utf8');
    const inner = scalars(file, dt, 0) + 1 + varintLength(n) + n;
    const start = this.frame(5, inner);
    let p = this.pos;
    p = putScalars(this.buf, p, file, dt, 0);
    this.buf[p++] = 0x1a;
    p = putVarint(this.buf, p, n);
    p += this.buf.write(text, p, 'utf8');
    this.seal(start, p);
  }

  /** A Fields record, encoded here as writeLine is. */
  writeFields(file: number, dt: number, shape: number, f: Facts): void {
    let packed = 0;
    for (let i = 0; i < f.ints.length; i++) packed += varintLength(zigzag(f.ints[i]));
    let inner = scalars(file, dt, shape) + (packed > 0 ? 1 + varintLength(packed) + packed : 0);
    for (let i = 0; i < f.blobs.length; i++) inner += 1 + varintLength(f.blobs[i].length) + f.blobs[i].length;
    const texts = this.textBytes;
    texts.length = 0;
    for (let i = 0; i < f.texts.length; i++) {
      const n = Buffer.byteLength(f.texts[i], 'utf8');
      texts.push(n);
      inner += 1 + varintLength(n) + n;
    }
    const start = this.frame(6, inner);
    const b = this.buf;
    let p = putScalars(b, this.pos, file, dt, shape);
    if (packed > 0) {
      b[p++] = 0x22;
      p = putVarint(b, p, packed);
      for (let i = 0; i < f.ints.length; i++) p = putVarint(b, p, zigzag(f.ints[i]));
    }
    for (let i = 0; i < f.blobs.length; i++) {
      b[p++] = 0x2a;
      p = putVarint(b, p, f.blobs[i].length);
      b.set(f.blobs[i], p);
      p += f.blobs[i].length;
    }
    for (let i = 0; i < f.texts.length; i++) {
      b[p++] = 0x32;
      p = putVarint(b, p, texts[i]);
      p += b.write(f.texts[i], p, 'utf8');
    }
    this.seal(start, p);
  }

  private readonly textBytes: number[] = [];

  /** Frames a record whose one field `kind` is a message of `inner` bytes: writes the lengths and tag, leaves pos where the inner message goes; returns where the body begins. */
  private frame(kind: number, inner: number): number {
    const body = 1 + varintLength(inner) + inner;
    this.room(body + 9);
    let p = putVarint(this.buf, this.pos, body);
    const start = p;
    this.buf[p++] = (kind << 3) | 2;
    this.pos = putVarint(this.buf, p, inner);
    return start;
  }

  /** Ends the record framed by frame() at `end`: its CRC-32. */
  private seal(start: number, end: number): void {
    this.pos = this.buf.writeUInt32LE(crc32(this.buf, start, end), end);
    this.records++;
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

  /** `hashing`: keep the SHA-256 of what is read (digestBefore); a reader that never checks the trailer's saves the work. */
  constructor(
    readonly file: string,
    private readonly hashing = true,
  ) {
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
    if (end > this.hashed && this.hashing) {
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

  /** Frames the next record and checks its CRC (unless told not to); false at the end of the file. */
  readFrame(check = true): boolean {
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
    this.buffer = this.buf;
    this.bodyStart = p;
    this.bodyEnd = p + len;
    this.pos = p + len + 4;
    this.next = this.base + this.pos;
    if (check) this.checkCrc();
    return true;
  }

  /** Throws unless the record last framed has its CRC-32. */
  checkCrc(): void {
    if (crc32(this.buffer, this.bodyStart, this.bodyEnd) !== this.buffer.readUInt32LE(this.bodyEnd)) {
      throw new BadLog(this.file, this.offset, CORRUPT);
    }
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
export interface HotRecord extends HotFacts {
  /** 5: Line, 6: Fields (their field numbers in Record). */
  kind: number;
  file: number;
  dt: number;
  shape: number;
  /** A Line's text: bytes textStart to textEnd of src. */
  textStart: number;
  textEnd: number;
  /** Bytes of its blobs and texts. */
  varBytes: number;
}

export function hotRecord(): HotRecord {
  return { kind: 0, file: 0, dt: 0, shape: 0, textStart: 0, textEnd: 0, varBytes: 0, ints: [], blobs: [], texts: [], nInts: 0, nBlobs: 0, nTexts: 0, src: Buffer.alloc(0) };
}

/**
 * Decodes a Line or Fields record straight from its bytes, by twinlog.proto's
 * field numbers: the bulk of a log, read without an object per field or a
 * string per text (texts and blobs are byte ranges of the log's buffer).
 * Returns false for any other record, or any byte it does not expect there;
 * the caller then decodes it with protobufjs. With `peek`, stops after
 * the fields up to that number (2: the file and time of a record another
 * thread renders; decodeHotRest reads the rest).
 */
/** The hot decoder's cursor: one object's fields (a module's `let`s cost a check at every use in a loop). */
class Cursor {
  buf: Buffer = Buffer.alloc(0);
  p = 0;
  end = 0;

  /** A varint, as a number (exact below 2^53, which every value of ours is); NaN past the end. */
  varint(): number {
    const buf = this.buf;
    let p = this.p;
    const b0 = buf[p];
    if (b0 < 128 && p < this.end) {
      this.p = p + 1;
      return b0;
    }
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) return NaN;
      const b = buf[p++];
      v += (b & 127) * mul;
      if (b < 128) {
        this.p = p;
        return v;
      }
      mul *= 128;
    }
    return NaN;
  }
}

const c = new Cursor();

function unzigzag(v: number): number {
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}

export function decodeHot(from: Buffer, start: number, stop: number, out: HotRecord, peek = 0): boolean {
  c.buf = from;
  c.p = start + 1;
  c.end = stop;
  const tag = from[start];
  if (tag !== 0x2a && tag !== 0x32) return false;
  const len = c.varint();
  if (c.p + len !== stop) return false;
  out.kind = tag >>> 3;
  out.file = 0;
  out.dt = 0;
  out.shape = 0;
  out.textStart = 0;
  out.textEnd = 0;
  out.varBytes = 0;
  out.nInts = 0;
  out.nBlobs = 0;
  out.nTexts = 0;
  out.src = from;
  return fields(out, peek);
}

/** The rest of the record decodeHot was told to peek at (its cursor is where the peek stopped). */
export function decodeHotRest(out: HotRecord): boolean {
  return fields(out, 0);
}

function fields(out: HotRecord, peek: number): boolean {
  const kind = out.kind;
  const buf = c.buf;
  const end = c.end;
  while (c.p < end) {
    const t = buf[c.p];
    const field = t >>> 3;
    const wire = t & 7;
    // Fields come in order of their numbers (a writer may send them in any order: then the whole record is read).
    if (peek > 0 && field > peek) return true;
    c.p++;
    if (wire === 0) {
      const v = c.varint();
      if (v !== v) return false;
      if (field === 1) out.file = v;
      else if (field === 2) out.dt = unzigzag(v);
      else if (field === 3 && kind === 6) out.shape = v;
      else if (field === 4 && kind === 6) out.ints[out.nInts++] = unzigzag(v);
      else return false;
    } else if (wire === 2) {
      const n = c.varint();
      const p = c.p;
      if (n !== n || p + n > end) return false;
      const e = p + n;
      if (field === 3 && kind === 5) {
        out.textStart = p;
        out.textEnd = e;
      } else if (field === 4 && kind === 6) {
        const ints = out.ints;
        let k = out.nInts;
        while (c.p < e) {
          const v = c.varint();
          if (v !== v || c.p > e) return false;
          ints[k++] = unzigzag(v);
        }
        out.nInts = k;
      } else if (field === 5 && kind === 6) {
        out.blobs[out.nBlobs++] = p;
        out.blobs[out.nBlobs++] = e;
        out.varBytes += n;
      } else if (field === 6 && kind === 6) {
        out.texts[out.nTexts++] = p;
        out.texts[out.nTexts++] = e;
        out.varBytes += n;
      } else return false;
      c.p = e;
    } else {
      return false;
    }
  }
  return true;
}
