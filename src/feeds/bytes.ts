/**
 * Records spelled straight into bytes. A storm writes millions of records,
 * and a record built as a string is a rope of some fifty pieces that
 * Buffer.write must flatten before encoding it (docs/performance.md): about
 * half of the simulation thread's time. A feed module's speller writes its
 * record into a LineBytes instead, piece by piece: key literals encoded once,
 * integers and timestamps as digits, strings copied a character at a time,
 * JSON escaping only where a value can need it.
 *
 * The speller is the one description of its feed's layout: the file writer
 * runs it on its own buffer (src/feeds/sink.ts), and the feed's string
 * serialiser (replay, tests, any other sink) is the same speller on a scratch
 * buffer, decoded (`spellLine`).
 *
 * Longer than 350 lines on purpose: the cursor, its literals and the ids and
 * EUI-64s that spell themselves share the word tables and write through the
 * cursor's view; split, each part would reach into the others.
 */
import { asciiWord, writeTimestamp } from '../dcc/time.js';

/**
 * A timestamp field: spelled already (`YYYYMMDDHHMMSS.SSS`, as replay and
 * tests give it), or Unix ms for the writer to spell (as the recorders give
 * it, so that no string is built for it).
 */
export type FeedTime = string | number;

/**
 * A value that writes itself from its parts (an id from its serial, an EUI-64
 * from its halves), so that no string is built for it.
 */
export interface Spellable {
  spell(out: LineBytes): void;
}

/** An id or EUI-64 field: spelled already, or given as its parts. */
export type FeedText = string | Spellable;

/** The value types of a record as read back from its line: every field spelled (the records' default). */
export interface AsRead {
  time: string;
  text: string;
}

/** The value types of a record as a recorder hands it to a speller: times as Unix ms, ids and EUIs as their parts. */
export interface ToSpell {
  time: FeedTime;
  text: FeedText;
}

/** Writes one record (without its newline) into `out`. */
export type Speller<R> = (out: LineBytes, record: R) => void;

/**
 * A literal (a key with its punctuation), encoded once: its bytes, and the
 * same bytes as 8-byte words, so that writing it takes one store per eight
 * bytes rather than one per byte (a JS loop over bytes costs more per record
 * than Buffer.write's own flattening). Words are written at 0, 8, 16 ... and
 * the last one at `length - 8`, overlapping the one before with the same
 * bytes. ASCII only: eight ASCII bytes read as a float64 are never a NaN, so
 * they survive the trip through a number unchanged.
 */
export class Literal {
  readonly words: Float64Array;
  readonly bytes: Buffer;
  readonly length: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 127) throw new Error(`literal ${JSON.stringify(text)} is not ASCII`);
    }
    const bytes = Buffer.from(text, 'latin1');
    this.bytes = bytes;
    this.length = bytes.length;
    const n = bytes.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, n);
    const count = n < 8 ? 0 : Math.ceil(n / 8);
    this.words = new Float64Array(count);
    for (let i = 0; i < count; i++) this.words[i] = view.getFloat64(i === count - 1 ? n - 8 : i * 8, true);
  }
}

/** Writes `l` at `p` (room made by the caller); returns the position after it. */
function put(view: DataView, buf: Buffer, p: number, l: Literal): number {
  const n = l.length;
  const words = l.words;
  const count = words.length;
  if (count === 0) {
    const b = l.bytes;
    for (let i = 0; i < n; i++) buf[p + i] = b[i];
  } else {
    for (let i = 0; i < count - 1; i++) view.setFloat64(p + i * 8, words[i], true);
    view.setFloat64(p + n - 8, words[count - 1], true);
  }
  return p + n;
}

/** A literal's bytes, encoded once (keys and punctuation: ASCII). */
export function ascii(text: string): Literal {
  return new Literal(text);
}

/** The longest a safe integer gets in digits, sign included. */
const INT_MAX_BYTES = 17;
/** `YYYYMMDDHHMMSS.SSS`. */
const TIMESTAMP_BYTES = 18;

/**
 * A cursor over a buffer that records are spelled into. Every write makes
 * room first; when the buffer is full, `spill` is told how many bytes are
 * needed and must leave a buffer with that room, keeping the bytes from
 * `start` (the record being spelled) at its front. Without one, the buffer
 * doubles.
 */
export class LineBytes {
  /** Where the record being spelled began. */
  start = 0;
  /** The same memory as `buf`, for word-sized stores; replaced with it (see `use`). */
  view: DataView;

  constructor(
    public buf: Buffer,
    public pos = 0,
    private readonly spill: ((need: number) => void) | null = null,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  /** Writes into `buf` from now on, at `pos`. */
  use(buf: Buffer, pos: number): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    this.pos = pos;
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.spill !== null) {
      this.spill(n);
      return;
    }
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.use(bigger, this.pos);
  }

  /** One byte (an ASCII character's code). */
  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A literal encoded by `ascii`. */
  lit(l: Literal): void {
    const n = l.length;
    if (this.pos + n > this.buf.length) this.room(n);
    this.pos = put(this.view, this.buf, this.pos, l);
  }

  /** A string as it stands, in UTF-8 (a template literal's `${s}`): the twin's own ids, codes and labels. */
  str(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.room(n);
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        this.utf8(s);
        return;
      }
      buf[p + i] = c;
    }
    this.pos = p + n;
  }

  /** A JSON string, quoted and escaped exactly as JSON.stringify does it: values from the scenario file. */
  json(s: string): void {
    const n = s.length;
    if (this.pos + n + 2 > this.buf.length) this.room(n + 2);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Control characters, `"`, `\` and anything past ASCII: left to JSON.stringify (rare).
      if (c < 32 || c > 126 || c === 34 || c === 92) {
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[p + 1 + i] = c;
    }
    buf[p + n + 1] = 34;
    this.pos = p + n + 2;
  }

  /** `s` encoded as UTF-8 at the cursor, as Buffer.write encodes it. */
  private utf8(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A number as `${n}` spells it: digits for a safe integer, String(n) otherwise. */
  int(n: number): void {
    // Counts, steps, offsets and milliseconds: digits by 32-bit arithmetic (a double's `%` is a call to fmod).
    if (n > -0x80000000 && n <= 0x7fffffff && (n | 0) === n) {
      if (n < 0) {
        this.byte(45);
        n = -n;
      }
      this.uint31(n);
      return;
    }
    if (!Number.isSafeInteger(n)) {
      this.str(String(n));
      return;
    }
    if (this.pos + INT_MAX_BYTES > this.buf.length) this.room(INT_MAX_BYTES);
    const buf = this.buf;
    let p = this.pos;
    if (n < 0) {
      buf[p++] = 45;
      n = -n;
    }
    let width = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) width++;
    let q = p + width;
    this.pos = q;
    do {
      const d = n % 10;
      buf[--q] = 48 + d;
      n = (n - d) / 10;
    } while (n > 0);
  }

  /** A whole number from 0 to 2^31 - 1 in decimal. */
  private uint31(n: number): void {
    if (this.pos + 10 > this.buf.length) this.room(10);
    const buf = this.buf;
    const width = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
    let q = this.pos + width;
    this.pos = q;
    do {
      const t = (n / 10) | 0;
      buf[--q] = 48 + n - t * 10;
      n = t;
    } while (n > 0);
  }

  /** `key` (a literal ending in `"`), `s` as it stands and the closing quote; nothing when `s` is absent. */
  strField(key: Literal, s: string | undefined): void {
    if (s === undefined) return;
    const n = s.length;
    const need = key.length + n + 1;
    if (this.pos + need > this.buf.length) this.room(need);
    const buf = this.buf;
    const p = put(this.view, buf, this.pos, key);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        this.pos = p;
        this.utf8(s);
        this.byte(QUOTE);
        return;
      }
      buf[p + i] = c;
    }
    buf[p + n] = QUOTE;
    this.pos = p + n + 1;
  }

  /** strField for an id or EUI-64, spelled or as its parts. */
  textField(key: Literal, v: FeedText | undefined): void {
    if (v === undefined) return;
    this.lit(key);
    if (typeof v === 'string') this.str(v);
    else v.spell(this);
    this.byte(QUOTE);
  }

  /** `serial` in 12 digits at least, zero-padded on the left (the ids' serials, src/dcc/ids.ts). */
  serial12(serial: number): void {
    if (!(serial >= 0 && serial < 1e12 && serial === Math.floor(serial))) {
      const s = String(serial);
      this.str(s.length >= 12 ? s : '0'.repeat(12 - s.length) + s);
      return;
    }
    if (this.pos + 12 > this.buf.length) this.room(12);
    const high = Math.floor(serial / 1e8);
    const rest = serial - high * 1e8;
    const mid = Math.floor(rest / 1e4);
    const view = this.view;
    const p = this.pos;
    view.setInt32(p, DIGITS4[high], true);
    view.setInt32(p + 4, DIGITS4[mid], true);
    view.setInt32(p + 8, DIGITS4[rest - mid * 1e4], true);
    this.pos = p + 12;
  }

  /** A 32-bit value as 8 upper-case hex digits. */
  hex8(v: number): void {
    if (this.pos + 8 > this.buf.length) this.room(8);
    const view = this.view;
    const p = this.pos;
    view.setInt32(p, HEX4[v >>> 16], true);
    view.setInt32(p + 4, HEX4[v & 0xffff], true);
    this.pos = p + 8;
  }

  /** `key` (a literal ending in `:`) and `s` as a JSON string; nothing when `s` is absent. */
  jsonField(key: Literal, s: string | undefined): void {
    if (s === undefined) return;
    this.lit(key);
    this.json(s);
  }

  /** `key` (a literal ending in `"`), the timestamp and the closing quote; nothing when `t` is absent. */
  timeField(key: Literal, t: FeedTime | undefined): void {
    // Unix ms first: what the recorders give, and most of a run's fields.
    if (typeof t !== 'number') {
      if (t !== undefined) this.strField(key, t);
      return;
    }
    const need = key.length + TIMESTAMP_BYTES + 1;
    if (this.pos + need > this.buf.length) this.room(need);
    const view = this.view;
    const p = writeTimestamp(view, put(view, this.buf, this.pos, key), t);
    this.buf[p] = QUOTE;
    this.pos = p + 1;
  }

  /** `key` (a literal ending in `:`) and the number; nothing when `n` is absent. */
  intField(key: Literal, n: number | undefined): void {
    if (n === undefined) return;
    // One digit (a step, an attempt, a count of retries: most of them) with its key in one reservation.
    if (n >= 0 && n <= 9 && (n | 0) === n) {
      const need = key.length + 1;
      if (this.pos + need > this.buf.length) this.room(need);
      const p = put(this.view, this.buf, this.pos, key);
      this.buf[p] = 48 + n;
      this.pos = p + 1;
      return;
    }
    this.lit(key);
    this.int(n);
  }

  /** `key` (a literal ending in `:`) and `true` or `false`. */
  boolField(key: Literal, b: boolean): void {
    this.lit(key);
    this.bool(b);
  }

  /** The record's closing brace. */
  close(): void {
    this.byte(CLOSE);
  }

  /** `true` or `false`. */
  bool(b: boolean): void {
    this.lit(b ? TRUE : FALSE);
  }

  /** A feed timestamp, `YYYYMMDDHHMMSS.SSS` (src/dcc/time.ts): spelled from Unix ms, or copied if given spelled. */
  time(t: FeedTime): void {
    if (typeof t === 'string') {
      this.str(t);
      return;
    }
    if (this.pos + TIMESTAMP_BYTES > this.buf.length) this.room(TIMESTAMP_BYTES);
    this.pos = writeTimestamp(this.view, this.pos, t);
  }
}

/** "0000".."9999" and "0000".."FFFF" as words. */
const DIGITS4 = Int32Array.from({ length: 10_000 }, (_, i) => asciiWord(String(i).padStart(4, '0')));
const HEX4 = Int32Array.from({ length: 65_536 }, (_, i) => asciiWord(i.toString(16).toUpperCase().padStart(4, '0')));

/**
 * A record id given as its parts: a prefix (`A`, the run namespace, `-`), the
 * serial in 12 digits, and for a delivery `-` and the attempt. The same text
 * as RunIds spells (src/dcc/ids.ts), which makes these.
 */
export class SerialId implements Spellable {
  constructor(
    readonly prefix: Literal,
    readonly serial: number,
    /** Negative: none. */
    readonly attempt = -1,
  ) {}

  spell(out: LineBytes): void {
    out.lit(this.prefix);
    out.serial12(this.serial);
    if (this.attempt >= 0) {
      out.byte(DASH);
      out.int(this.attempt);
    }
  }
}

/** An EUI-64 given as its two 32-bit halves: 16 upper-case hex digits, as src/estate/eui.ts spells it. */
export class HexEui implements Spellable {
  constructor(
    readonly high: number,
    readonly low: number,
  ) {}

  spell(out: LineBytes): void {
    out.hex8(this.high);
    out.hex8(this.low);
  }
}

const DASH = 45;
const QUOTE = 34;
const CLOSE = 125;
const TRUE = ascii('true');
const FALSE = ascii('false');

/** The scratch buffer string serialisers spell into: one at a time, so one will do. */
const scratch = new LineBytes(Buffer.allocUnsafe(4096));

/** The record as one line of text (without its newline): the speller's bytes, decoded. */
export function spellLine<R>(spell: Speller<R>, record: R): string {
  scratch.pos = 0;
  spell(scratch, record);
  return scratch.buf.toString('utf8', 0, scratch.pos);
}
