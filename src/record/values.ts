/**
 * A JSONL record as facts and back (the log's structured kind, Fields in
 * twinlog.proto). Any JSONL feed is stored this way with no code of its own:
 * each value's kind is read off the value itself (a feed timestamp, an
 * EUI-64, an id with a serial in it, Base64, a short string, an integer, a
 * boolean) and stored as numbers: times as milliseconds from the record's
 * time, strings as string-table entries, ids as the change from the previous
 * id of the same form, Base64 as its bytes. The keys in order and the kinds
 * make the record's shape, written once. On replay the object is rebuilt and
 * handed to the feed's own serialiser (feeds.ts), never rendered here.
 *
 * Longer than most files on purpose: the encoder and the decoder of each
 * kind must agree to the bit, so they stay side by side.
 */
import { formatTimestamp } from '../dcc/time.js';

export const KIND_TIME = 0;
export const KIND_EUI = 1;
export const KIND_ID = 2;
export const KIND_STR = 3;
export const KIND_INT = 4;
export const KIND_TRUE = 5;
export const KIND_FALSE = 6;
export const KIND_B64 = 7;
export const KIND_TEXT = 8;
export const KIND_JSON = 9;
export const KIND_COUNT = 10;

/** Strings longer than this are kept as text, not interned: a table entry pays only when it repeats. */
const MAX_INTERNED_LENGTH = 64;
/** Past this many entries the table stops growing; new strings are kept as text. */
const MAX_TABLE = 1 << 20;
/** Serials in ids: at least this many digits (shorter runs are ordinary strings), at most a safe integer's. */
const MIN_SERIAL_DIGITS = 6;
const MAX_SERIAL_DIGITS = 15;
/** Separates an id template's parts in the string table; never in a feed's ids. */
const SEP = '\u0001';

/** Two upper-case hex digits per byte value: an EUI's low half in four lookups. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function base64(b: Uint8Array): string {
  return (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('base64');
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The values of one record, as Fields carries them. */
export interface Facts {
  ints: number[];
  blobs: Uint8Array[];
  texts: string[];
}

/** The string table: entries in the order written, both sides keep the same. */
export class Tables {
  readonly strings: string[] = [];
}

/** The previous serial of each id form, per file: ids are stored as the change from it. */
export class Serials {
  constructor(readonly last = new Map<number, number>()) {}

  static key(file: number, template: number): number {
    return file * MAX_TABLE + template;
  }

  get(key: number): number {
    return this.last.get(key) ?? 0;
  }
}

/** Digit `i` of `s`, or -1000 when it is no digit (which puts any sum it joins out of range). */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

let lastDayKey = -1;
let lastDayMs = 0;

/** Unix ms of a `YYYYMMDDHHMMSS.SSS` string, or NaN if it is not exactly one (so that it renders back the same). */
function timestampMs(s: string): number {
  if (s.length !== 18 || s.charCodeAt(14) !== 46) return NaN;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 4) * 10 + digit(s, 5);
  const day = digit(s, 6) * 10 + digit(s, 7);
  const h = digit(s, 8) * 10 + digit(s, 9);
  const mi = digit(s, 10) * 10 + digit(s, 11);
  const sec = digit(s, 12) * 10 + digit(s, 13);
  const ms = digit(s, 15) * 100 + digit(s, 16) * 10 + digit(s, 17);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return NaN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS[month - 1] + (leap ? 1 : 0)) return NaN;
  const key = year * 10000 + month * 100 + day;
  if (key !== lastDayKey) {
    lastDayKey = key;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

function isUpperHex16(s: string): boolean {
  if (s.length !== 16) return false;
  for (let i = 0; i < 16; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function isBase64(s: string): boolean {
  if (s.length < 24 || s.length % 4 !== 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || (c === 61 && i >= s.length - 2);
    if (!ok) return false;
  }
  return true;
}

/**
 * Encodes values into facts, growing the tables; `intern` is told of each
 * new table entry so that its Intern record is written before the record.
 */
export class FactEncoder {
  private readonly index = new Map<string, number>();
  readonly serials = new Serials();
  /** Serials a record changed, with their values before it (see undo): [key, value, key, value ...]. */
  private readonly touched: number[] = [];
  /** Per value slot (file and position in the record): the last string interned there and its entry. */
  private readonly slotText: string[] = [];
  private readonly slotEntry: number[] = [];

  constructor(
    readonly tables: Tables,
    private readonly onIntern: (text: string) => void,
  ) {}

  /** Starts a record (see undo). */
  beginRecord(): void {
    this.touched.length = 0;
  }

  /** Forgets the record begun last: it will not be written as facts. */
  undo(): void {
    // Backwards: a serial changed twice gets back its value from before the first change.
    for (let i = this.touched.length - 2; i >= 0; i -= 2) this.serials.last.set(this.touched[i], this.touched[i + 1]);
    this.touched.length = 0;
  }

  /** The serials as they were before the record began: what a reader of it has. */
  serialsBefore(): Serials {
    const copy = new Serials(new Map(this.serials.last));
    for (let i = this.touched.length - 2; i >= 0; i -= 2) copy.last.set(this.touched[i], this.touched[i + 1]);
    return copy;
  }

  /** `intern`, remembering the answer for the value slot `slot`: a slot mostly sees the same few strings. */
  private internAt(s: string, slot: number): number {
    if (this.slotText[slot] === s) return this.slotEntry[slot];
    const i = this.intern(s);
    this.slotText[slot] = s;
    this.slotEntry[slot] = i;
    return i;
  }

  /** The table entry of `s`, or -1 when the table is full. */
  intern(s: string): number {
    let i = this.index.get(s);
    if (i !== undefined) return i;
    if (this.tables.strings.length >= MAX_TABLE) return -1;
    i = this.tables.strings.length;
    this.tables.strings.push(s);
    this.index.set(s, i);
    this.onIntern(s);
    return i;
  }

  /**
   * Appends `v`'s facts to `out` and returns its kind; `timeMs` is the
   * record's time (Unix ms), `slot` names the value's place (file and
   * position) for the intern cache.
   */
  encode(v: unknown, file: number, slot: number, timeMs: number, out: Facts): number {
    if (typeof v === 'string') return this.encodeString(v, file, slot, timeMs, out);
    if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) {
      out.ints.push(v);
      return KIND_INT;
    }
    if (v === true) return KIND_TRUE;
    if (v === false) return KIND_FALSE;
    out.texts.push(JSON.stringify(v));
    return KIND_JSON;
  }

  private encodeString(s: string, file: number, slot: number, timeMs: number, out: Facts): number {
    const t = timestampMs(s);
    if (t === t) {
      out.ints.push(t - timeMs);
      return KIND_TIME;
    }
    if (isUpperHex16(s)) {
      const hi = this.internAt(s.slice(0, 8), slot);
      if (hi >= 0) {
        out.ints.push(hi, parseInt(s.slice(8), 16));
        return KIND_EUI;
      }
    }
    if (isBase64(s)) {
      const bytes = Buffer.from(s, 'base64');
      if (bytes.toString('base64') === s) {
        out.blobs.push(bytes);
        return KIND_B64;
      }
    }
    const id = this.encodeId(s, file, out);
    if (id >= 0) return KIND_ID;
    if (s.length <= MAX_INTERNED_LENGTH) {
      const i = this.internAt(s, slot);
      if (i >= 0) {
        out.ints.push(i);
        return KIND_STR;
      }
    }
    out.texts.push(s);
    return KIND_TEXT;
  }

  /** An id with a serial (its longest run of digits): template entry and the serial's change; -1 if `s` is none. */
  private encodeId(s: string, file: number, out: Facts): number {
    let best = 0;
    let at = -1;
    for (let i = 0; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c === 1) return -1;
      if (c < 48 || c > 57) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (j - i > best) {
        best = j - i;
        at = i;
      }
      i = j;
    }
    if (best < MIN_SERIAL_DIGITS || best > MAX_SERIAL_DIGITS) return -1;
    const template = this.intern(s.slice(0, at) + SEP + best + SEP + s.slice(at + best));
    if (template < 0) return -1;
    const serial = Number(s.slice(at, at + best));
    const key = Serials.key(file, template);
    const last = this.serials.get(key);
    this.touched.push(key, last);
    out.ints.push(template, serial - last);
    this.serials.last.set(key, serial);
    return template;
  }
}

/** Rebuilds values from facts, in the order they were encoded. */
export class FactDecoder {
  private i = 0;
  private b = 0;
  private x = 0;
  private templates: Array<[string, number, string] | undefined> = [];

  constructor(
    readonly tables: Tables,
    private readonly serials = new Serials(),
  ) {}

  begin(): void {
    this.i = 0;
    this.b = 0;
    this.x = 0;
  }

  /** The next value of kind `kind`; throws a RangeError on facts that do not fit (a corrupt record). */
  next(kind: number, f: Facts, file: number, timeMs: number): unknown {
    switch (kind) {
      case KIND_TIME:
        return this.time(f, timeMs);
      case KIND_EUI:
        return this.eui(f);
      case KIND_ID:
        return this.id(f, file);
      case KIND_STR:
        return this.string(this.int(f));
      case KIND_INT:
        return this.int(f);
      case KIND_TRUE:
        return true;
      case KIND_FALSE:
        return false;
      case KIND_B64:
        return this.b64(f);
      case KIND_TEXT:
        return this.text(f);
      case KIND_JSON:
        return JSON.parse(this.text(f));
      default:
        throw new RangeError(`unknown value kind ${kind}`);
    }
  }

  time(f: Facts, timeMs: number): string {
    return formatTimestamp(timeMs + this.int(f));
  }

  eui(f: Facts): string {
    const hi = this.string(this.int(f));
    const lo = this.int(f);
    return hi + HEX[(lo >>> 24) & 255] + HEX[(lo >>> 16) & 255] + HEX[(lo >>> 8) & 255] + HEX[lo & 255];
  }

  id(f: Facts, file: number): string {
    const tpl = this.int(f);
    const t = this.template(tpl);
    const key = Serials.key(file, tpl);
    const serial = this.serials.get(key) + this.int(f);
    this.serials.last.set(key, serial);
    return t[0] + String(serial).padStart(t[1], '0') + t[2];
  }

  str(f: Facts): string {
    return this.string(this.int(f));
  }

  b64(f: Facts): string {
    if (this.b >= f.blobs.length) throw new RangeError('fewer byte values than its shape needs');
    return base64(f.blobs[this.b++]);
  }

  text(f: Facts): string {
    if (this.x >= f.texts.length) throw new RangeError('fewer text values than its shape needs');
    return f.texts[this.x++];
  }

  /** True when every fact was used: a record with facts left over is corrupt. */
  done(f: Facts): boolean {
    return this.i === f.ints.length && this.b === f.blobs.length && this.x === f.texts.length;
  }

  int(f: Facts): number {
    if (this.i >= f.ints.length) throw new RangeError('fewer numbers than its shape needs');
    return f.ints[this.i++];
  }

  string(i: number): string {
    const s = this.tables.strings[i];
    if (s === undefined) throw new RangeError(`string-table entry ${i} was never written`);
    return s;
  }

  private template(i: number): [string, number, string] {
    let t = this.templates[i];
    if (t === undefined) {
      const parts = this.string(i).split(SEP);
      const width = Number(parts[1]);
      if (parts.length !== 3 || !(width >= MIN_SERIAL_DIGITS && width <= MAX_SERIAL_DIGITS)) throw new RangeError(`string-table entry ${i} is no id form`);
      t = [parts[0], width, parts[2]];
      this.templates[i] = t;
    }
    return t;
  }
}

/** Rebuilds one record's object from its facts, keys in the shape's order. */
export type ShapeDecoder = (d: FactDecoder, f: Facts, file: number, timeMs: number) => Record<string, unknown>;

/** The expression that reads a value of each kind, in a compiled shape. */
const READ: readonly string[] = [
  'd.time(f, t)', // KIND_TIME
  'd.eui(f)', // KIND_EUI
  'd.id(f, file)', // KIND_ID
  'd.str(f)', // KIND_STR
  'd.int(f)', // KIND_INT
  'true', // KIND_TRUE
  'false', // KIND_FALSE
  'd.b64(f)', // KIND_B64
  'd.text(f)', // KIND_TEXT
  'JSON.parse(d.text(f))', // KIND_JSON
];

/**
 * A shape's decoder, compiled once per shape as protobufjs compiles its
 * messages: one object literal per record (one hidden class per shape, which
 * is what the serialisers read fastest). Keys are written as JSON string
 * literals; a key that would set the prototype takes the plain loop.
 */
export function compileShape(keys: readonly string[], kinds: readonly number[]): ShapeDecoder {
  const fail = (): never => {
    throw new RangeError('more values than its shape has keys');
  };
  if (keys.includes('__proto__') || kinds.some((k) => READ[k] === undefined)) {
    return (d, f, file, t) => {
      d.begin();
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) Object.defineProperty(obj, keys[i], { value: d.next(kinds[i], f, file, t), enumerable: true, writable: true, configurable: true });
      return d.done(f) ? obj : fail();
    };
  }
  const body = keys.map((k, i) => `${JSON.stringify(k)}: ${READ[kinds[i]]}`).join(',\n');
  const make = new Function('fail', `return function shape(d, f, file, t) {\n  d.begin();\n  const o = {\n${body}\n};\n  return d.done(f) ? o : fail();\n};`);
  return make(fail) as ShapeDecoder;
}
