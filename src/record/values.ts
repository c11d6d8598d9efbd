/**
 * A JSONL record as facts and back (the log's structured kind, Fields in
 * twinlog.proto). Any JSONL feed is stored this way with no code of its own:
 * each value's kind is read off the value itself (a feed timestamp, an
 * EUI-64, an id with a serial in it, Base64, a short string, an integer, a
 * boolean) and stored as numbers: times as milliseconds from the record's
 * time, strings as string-table entries, ids as the change from the previous
 * id of the same form, Base64 as its bytes. The keys in order and the kinds
 * make the record's shape, written once. On replay the object is rebuilt and
 * handed to the feed's own serialiser (serialisers.ts), never rendered here.
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
  /** Serials a record changed, with their values before it (see undo). */
  private touched = new Map<number, number>();

  constructor(
    readonly tables: Tables,
    private readonly onIntern: (text: string) => void,
  ) {}

  /** Starts a record; what it returns undoes the record's changes to the serials. */
  beginRecord(): Map<number, number> {
    this.touched.clear();
    return this.touched;
  }

  /** Forgets a record that will not be written as facts. */
  undo(touched: Map<number, number>): void {
    for (const [k, v] of touched) this.serials.last.set(k, v);
    touched.clear();
  }

  /** The serials as they were before the record began: what a reader of it has. */
  serialsBefore(touched: Map<number, number>): Serials {
    const copy = new Serials(new Map(this.serials.last));
    for (const [k, v] of touched) copy.last.set(k, v);
    return copy;
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

  /** Appends `v`'s facts to `out` and returns its kind; `timeMs` is the record's time (Unix ms). */
  encode(v: unknown, file: number, timeMs: number, out: Facts): number {
    if (typeof v === 'string') return this.encodeString(v, file, timeMs, out);
    if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) {
      out.ints.push(v);
      return KIND_INT;
    }
    if (v === true) return KIND_TRUE;
    if (v === false) return KIND_FALSE;
    out.texts.push(JSON.stringify(v));
    return KIND_JSON;
  }

  private encodeString(s: string, file: number, timeMs: number, out: Facts): number {
    const t = timestampMs(s);
    if (t === t) {
      out.ints.push(t - timeMs);
      return KIND_TIME;
    }
    if (isUpperHex16(s)) {
      const hi = this.intern(s.slice(0, 8));
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
      const i = this.intern(s);
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
    if (!this.touched.has(key)) this.touched.set(key, last);
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
        return formatTimestamp(timeMs + this.int(f));
      case KIND_EUI: {
        const hi = this.string(this.int(f));
        const lo = this.int(f);
        return hi + (lo >>> 0).toString(16).toUpperCase().padStart(8, '0');
      }
      case KIND_ID: {
        const tpl = this.int(f);
        const t = this.template(tpl);
        const key = Serials.key(file, tpl);
        const serial = this.serials.get(key) + this.int(f);
        this.serials.last.set(key, serial);
        return t[0] + String(serial).padStart(t[1], '0') + t[2];
      }
      case KIND_STR:
        return this.string(this.int(f));
      case KIND_INT:
        return this.int(f);
      case KIND_TRUE:
        return true;
      case KIND_FALSE:
        return false;
      case KIND_B64:
        if (this.b >= f.blobs.length) throw new RangeError('fewer byte values than its shape needs');
        return Buffer.from(f.blobs[this.b++]).toString('base64');
      case KIND_TEXT:
        if (this.x >= f.texts.length) throw new RangeError('fewer text values than its shape needs');
        return f.texts[this.x++];
      case KIND_JSON:
        if (this.x >= f.texts.length) throw new RangeError('fewer text values than its shape needs');
        return JSON.parse(f.texts[this.x++]);
      default:
        throw new RangeError(`unknown value kind ${kind}`);
    }
  }

  /** True when every fact was used: a record with facts left over is corrupt. */
  done(f: Facts): boolean {
    return this.i === f.ints.length && this.b === f.blobs.length && this.x === f.texts.length;
  }

  private int(f: Facts): number {
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
