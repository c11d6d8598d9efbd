/**
 * Facts back to a line's bytes (values.ts encodes them): each shape is
 * compiled once into a function that writes its keys' bytes as constants
 * and each value straight from the facts into an output buffer (times,
 * EUIs, ids and numbers as digits, table entries and texts as their bytes),
 * with no string or object per record. A Fields record renders exactly the
 * compact JSON line it was read from.
 */
import { KIND_COUNT, MAX_SERIAL_DIGITS, MIN_SERIAL_DIGITS, SEP, segments, serialKey, type Facts } from './values.js';

/** A Line or Fields record's facts as the reader has them: numbers, and the byte ranges of its blobs and texts in `src`. */
export interface HotFacts {
  ints: number[];
  /** [start, end, start, end ...] in src. */
  blobs: number[];
  texts: number[];
  /** Entries of ints, blobs and texts in use (the arrays are reused, never shortened). */
  nInts: number;
  nBlobs: number;
  nTexts: number;
  src: Buffer;
}

/** Facts as the encoder has them, laid out as a log's reader has them (a new shape's check, the tests). */
export function hotFacts(f: Facts): HotFacts {
  const parts = [...f.blobs.map((b) => Buffer.from(b)), ...f.texts.map((x) => Buffer.from(x, 'utf8'))];
  const h: HotFacts = { ints: [...f.ints], blobs: [], texts: [], nInts: f.ints.length, nBlobs: 2 * f.blobs.length, nTexts: 2 * f.texts.length, src: Buffer.concat(parts) };
  let at = 0;
  parts.forEach((b, i) => {
    (i < f.blobs.length ? h.blobs : h.texts).push(at, at + b.length);
    at += b.length;
  });
  return h;
}

interface Template {
  pre: Uint8Array;
  width: number;
  post: Uint8Array;
}

const HEX = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const B64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const DAY_MS = 86_400_000;

/** Copies src[s, e) to b at p; returns the end. Short runs by hand: a call to copy costs more than a few bytes. */
function copy(src: Uint8Array, s: number, e: number, b: Uint8Array, p: number): number {
  if (e - s > 24) {
    b.set(src.subarray(s, e), p);
    return p + e - s;
  }
  for (let i = s; i < e; i++) b[p++] = src[i];
  return p;
}

/** Writes the digits of `v` (an integer) at p; returns the end. */
function decimal(b: Uint8Array, p: number, v: number, width: number): number {
  if (v < 0 || v >= 1e15 || !Number.isInteger(v)) {
    const s = String(v).padStart(width, '0');
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    return p;
  }
  let n = 1;
  for (let x = 10; x <= v; x *= 10) n++;
  if (n < width) {
    for (let i = n; i < width; i++) b[p++] = 48;
  }
  let end = p + n;
  for (let i = end - 1; i >= p; i--) {
    const q = Math.floor(v / 10);
    b[i] = 48 + v - q * 10;
    v = q;
  }
  return end;
}

/** The reader's side of the tables and the decoding cursor for one record. */
export class Renderer {
  readonly strings: string[] = [];
  private readonly bytes: Uint8Array[] = [];
  private readonly templates: Array<Template | undefined> = [];
  /** The previous serial of each id form, per file (values.ts serialKey). */
  serials: Map<number, number>;
  /** The longest table entry in bytes: bounds what a value can add to a line. */
  maxEntry = 0;
  private i = 0;
  private b = 0;
  private x = 0;
  // The day of the last time rendered: its 8 digits are written from here.
  private day = NaN;
  private readonly dayDigits = new Uint8Array(8);

  constructor(serials = new Map<number, number>()) {
    this.serials = serials;
  }

  /** The next entry of the string table. */
  add(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.strings.push(s);
    this.bytes.push(b);
    if (b.length > this.maxEntry) this.maxEntry = b.length;
  }

  begin(): void {
    this.i = 0;
    this.b = 0;
    this.x = 0;
  }

  /** Throws unless every fact was used: a record with facts left over is corrupt. */
  end(h: HotFacts): void {
    if (this.i !== h.nInts || this.b !== h.nBlobs || this.x !== h.nTexts) throw new RangeError('more values than its shape has keys');
  }

  int(h: HotFacts): number {
    if (this.i >= h.nInts) throw new RangeError('fewer numbers than its shape needs');
    return h.ints[this.i++];
  }

  entry(i: number): Uint8Array {
    const e = this.bytes[i];
    if (e === undefined) throw new RangeError(`string-table entry ${i} was never written`);
    return e;
  }

  time(b: Uint8Array, p: number, h: HotFacts, t: number): number {
    const ms = t + this.int(h);
    let rest = ms - this.day;
    if (!(rest >= 0 && rest < DAY_MS)) {
      const d = new Date(ms);
      const y = d.getUTCFullYear();
      if (!(y >= 1970 && y <= 9999)) throw new RangeError(`a time outside the years 1970-9999 (${ms} ms)`);
      this.day = ms - (ms % DAY_MS);
      decimal(this.dayDigits, 0, y * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate(), 8);
      rest = ms - this.day;
    }
    const dd = this.dayDigits;
    for (let i = 0; i < 8; i++) b[p++] = dd[i];
    // Below a day's ms: small integers throughout.
    const hms = (rest / 1000) | 0;
    const milli = rest - hms * 1000;
    const hour = (hms / 3600) | 0;
    const min = ((hms - hour * 3600) / 60) | 0;
    const sec = hms - hour * 3600 - min * 60;
    b[p] = 48 + ((hour / 10) | 0);
    b[p + 1] = 48 + (hour % 10);
    b[p + 2] = 48 + ((min / 10) | 0);
    b[p + 3] = 48 + (min % 10);
    b[p + 4] = 48 + ((sec / 10) | 0);
    b[p + 5] = 48 + (sec % 10);
    b[p + 6] = 46;
    b[p + 7] = 48 + ((milli / 100) | 0);
    b[p + 8] = 48 + (((milli / 10) | 0) % 10);
    b[p + 9] = 48 + (milli % 10);
    return p + 10;
  }

  eui(b: Uint8Array, p: number, h: HotFacts): number {
    const hi = this.entry(this.int(h));
    p = copy(hi, 0, hi.length, b, p);
    const lo = this.int(h);
    for (let s = 28; s >= 0; s -= 4) b[p++] = HEX[(lo >>> s) & 15];
    return p;
  }

  id(b: Uint8Array, p: number, h: HotFacts, file: number): number {
    const tpl = this.int(h);
    const t = this.template(tpl);
    const key = serialKey(file, tpl);
    const serial = (this.serials.get(key) ?? 0) + this.int(h);
    this.serials.set(key, serial);
    p = copy(t.pre, 0, t.pre.length, b, p);
    p = decimal(b, p, serial, t.width);
    return copy(t.post, 0, t.post.length, b, p);
  }

  str(b: Uint8Array, p: number, h: HotFacts): number {
    const e = this.entry(this.int(h));
    return copy(e, 0, e.length, b, p);
  }

  integer(b: Uint8Array, p: number, h: HotFacts): number {
    const v = this.int(h);
    if (v < 0) {
      b[p++] = 45;
      return decimal(b, p, -v, 0);
    }
    return decimal(b, p, v, 0);
  }

  b64(b: Uint8Array, p: number, h: HotFacts): number {
    if (this.b >= h.nBlobs) throw new RangeError('fewer byte values than its shape needs');
    const s = h.blobs[this.b++];
    const e = h.blobs[this.b++];
    const src = h.src;
    let i = s;
    for (; i + 3 <= e; i += 3) {
      const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
      b[p++] = B64[v >>> 18];
      b[p++] = B64[(v >>> 12) & 63];
      b[p++] = B64[(v >>> 6) & 63];
      b[p++] = B64[v & 63];
    }
    if (e - i === 1) {
      const v = src[i] << 16;
      b[p++] = B64[v >>> 18];
      b[p++] = B64[(v >>> 12) & 63];
      b[p++] = 61;
      b[p++] = 61;
    } else if (e - i === 2) {
      const v = (src[i] << 16) | (src[i + 1] << 8);
      b[p++] = B64[v >>> 18];
      b[p++] = B64[(v >>> 12) & 63];
      b[p++] = B64[(v >>> 6) & 63];
      b[p++] = 61;
    }
    return p;
  }

  text(b: Uint8Array, p: number, h: HotFacts): number {
    if (this.x >= h.nTexts) throw new RangeError('fewer text values than its shape needs');
    const s = h.texts[this.x++];
    const e = h.texts[this.x++];
    return copy(h.src, s, e, b, p);
  }

  private template(i: number): Template {
    let t = this.templates[i];
    if (t === undefined) {
      const parts = this.strings[i]?.split(SEP) ?? [];
      const width = Number(parts[1]);
      if (parts.length !== 3 || !(width >= MIN_SERIAL_DIGITS && width <= MAX_SERIAL_DIGITS)) throw new RangeError(`string-table entry ${i} is no id form`);
      t = { pre: Buffer.from(parts[0], 'utf8'), width, post: Buffer.from(parts[2], 'utf8') };
      this.templates[i] = t;
    }
    return t;
  }
}

/** Renders one record of a shape at b[p...]; returns the end (no newline). */
export type ShapeRenderer = (r: Renderer, h: HotFacts, b: Uint8Array, p: number, t: number, file: number) => number;

/** A compiled shape, with what it needs to bound a line's length before rendering it. */
export interface Shape {
  render: ShapeRenderer;
  /** Bytes of its keys and punctuation. */
  fixed: number;
  /** Values it takes from the facts. */
  values: number;
}

/** The expression that writes a value of each kind (null: nothing beyond the shape's constant bytes). */
const WRITE: ReadonlyArray<string | null> = [
  'r.time(b, p, h, t)', // KIND_TIME
  'r.eui(b, p, h)', // KIND_EUI
  'r.id(b, p, h, file)', // KIND_ID
  'r.str(b, p, h)', // KIND_STR
  'r.integer(b, p, h)', // KIND_INT
  null, // KIND_TRUE
  null, // KIND_FALSE
  'r.b64(b, p, h)', // KIND_B64
  'r.text(b, p, h)', // KIND_TEXT
  'r.text(b, p, h)', // KIND_JSON
];

/**
 * A shape's renderer, compiled once per shape as protobufjs compiles its
 * messages: the bytes between values (`{"key":"`, `","next":` ...) written
 * as literals, one call per value.
 */
export function compileShape(keys: readonly string[], kinds: readonly number[]): Shape {
  if (keys.length !== kinds.length || kinds.some((k) => !(k >= 0 && k < KIND_COUNT))) throw new RangeError('a shape that names unknown kinds');
  const segs = segments(keys, kinds);
  const values = kinds.filter((k) => WRITE[k] !== null);
  const lines: string[] = [];
  const long: Uint8Array[] = [];
  let fixed = 0;
  segs.forEach((seg, i) => {
    const bytes = Buffer.from(seg, 'utf8');
    fixed += bytes.length;
    // A long run of bytes is one copy; a short one, stores (a call to copy costs more than a few bytes).
    if (bytes.length > 24) lines.push(`b.set(C[${long.push(Uint8Array.from(bytes)) - 1}], p); p += ${bytes.length};`);
    else if (bytes.length > 0) lines.push(Array.from(bytes, (v, j) => `b[p + ${j}] = ${v};`).join(' ') + ` p += ${bytes.length};`);
    if (i < values.length) lines.push(`p = ${WRITE[values[i]]};`);
  });
  const body = `return function shape(r, h, b, p, t, file) {\n  r.begin();\n  ${lines.join('\n  ')}\n  r.end(h);\n  return p;\n};`;
  return { render: new Function('C', body)(long) as ShapeRenderer, fixed, values: values.length };
}

/** The most bytes a record of `shape` with facts `h` can render to: room to make before rendering it. */
export function bound(shape: Shape, r: Renderer, h: HotFacts): number {
  let n = shape.fixed + shape.values * (2 * r.maxEntry + 24);
  for (let i = 0; i < h.nTexts; i += 2) n += h.texts[i + 1] - h.texts[i];
  for (let i = 0; i < h.nBlobs; i += 2) n += 2 * (h.blobs[i + 1] - h.blobs[i]) + 4;
  return n;
}
