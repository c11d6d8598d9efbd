/**
 * A JSONL line as facts (the log's structured kind, Fields in twinlog.proto).
 * Any JSONL feed is stored this way with no code of its own: the line is
 * read as written, a compact JSON object (`{"key":value,...}`, no spaces),
 * and each value's kind is read off its text (a feed timestamp, an EUI-64,
 * an id with a serial in it, Base64, a short string, an integer, a boolean,
 * anything else as it stands) and stored as numbers: times as milliseconds
 * from the record's time, strings as string-table entries, ids as the change
 * from the previous id of the same form, Base64 as its bytes. The keys in
 * order and the kinds make the record's shape, written once. The line is
 * never parsed into an object: a line that is not exactly that compact form
 * goes as text, so that the facts always render back to its bytes
 * (render.ts renders them).
 *
 * Longer than most files on purpose: the scanner and the encoder of each
 * kind must agree with render.ts to the bit, and each check here is what
 * makes one kind's rendering exact.
 */

export const KIND_TIME = 0;
export const KIND_EUI = 1;
export const KIND_ID = 2;
export const KIND_STR = 3;
export const KIND_INT = 4;
export const KIND_TRUE = 5;
export const KIND_FALSE = 6;
export const KIND_B64 = 7;
/** A string's characters as written between its quotes (no escapes in it). */
export const KIND_TEXT = 8;
/** A value's JSON text as written (a float, null, an array, a string with escapes ...). */
export const KIND_JSON = 9;
export const KIND_COUNT = 10;

/** Kinds rendered between quotes: the quotes belong to the shape, not the value. */
export function quoted(kind: number): boolean {
  return kind === KIND_TIME || kind === KIND_EUI || kind === KIND_ID || kind === KIND_STR || kind === KIND_B64 || kind === KIND_TEXT;
}

/**
 * The text between a shape's values: `{"key":"` before the first, `","next":`
 * between two, `"}` after the last (the quotes of a quoted kind and the
 * literals true and false belong here). One more than the values that take
 * facts; render.ts writes them, FactEncoder.match reads lines against them.
 */
export function segments(keys: readonly string[], kinds: readonly number[]): string[] {
  const out: string[] = [];
  let pending = '{';
  for (let i = 0; i < keys.length; i++) {
    pending += `${i === 0 ? '' : ','}"${keys[i]}":`;
    const k = kinds[i];
    if (k === KIND_TRUE) pending += 'true';
    else if (k === KIND_FALSE) pending += 'false';
    else {
      if (quoted(k)) pending += '"';
      out.push(pending);
      pending = quoted(k) ? '"' : '';
    }
  }
  out.push(pending + '}');
  return out;
}

/** What a value of each kind may look like in a shape's pattern (the kind's own checks follow): a quoted kind, anything up to its closing quote. */
const VALUE_PATTERN: ReadonlyArray<string | null> = [
  '(\\d{14}\\.\\d{3})', // KIND_TIME
  '([0-9A-F]{16})', // KIND_EUI
  '([^"]*)', // KIND_ID
  '([^"]*)', // KIND_STR
  '(-?\\d+)', // KIND_INT
  null, // KIND_TRUE
  null, // KIND_FALSE
  '([^"]*)', // KIND_B64
  '([^"]*)', // KIND_TEXT
  null, // KIND_JSON: no pattern; its lines are read value by value
];

/**
 * A shape's lines as one regular expression: its segments as they stand,
 * a group for each value. Any line it matches is those segments and values
 * end to end, so facts that give each value back give the line back. Null
 * for a shape with a value kept as JSON text (no pattern bounds one).
 */
export function shapePattern(segs: readonly string[], kinds: readonly number[]): RegExp | null {
  const values = kinds.filter((k) => k !== KIND_TRUE && k !== KIND_FALSE);
  if (values.some((k) => VALUE_PATTERN[k] === null)) return null;
  const literal = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + values.map((k, i) => literal(segs[i]) + VALUE_PATTERN[k]).join('') + literal(segs[values.length]) + '$');
}

/** Strings longer than this are kept as text, not interned: a table entry pays only when it repeats. */
const MAX_INTERNED_LENGTH = 64;
/** Past this many entries the table stops growing; new strings are kept as text. */
export const MAX_TABLE = 1 << 20;
/** Serials in ids: at least this many digits (shorter runs are ordinary strings), at most a safe integer's. */
export const MIN_SERIAL_DIGITS = 6;
export const MAX_SERIAL_DIGITS = 15;
/** Separates an id template's parts in the string table; never in a feed's ids. */
export const SEP = '\u0001';

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The values of one record, as Fields carries them. */
export interface Facts {
  ints: number[];
  blobs: Uint8Array[];
  texts: string[];
}

/** The key of an id form's previous serial: per file and template. */
export function serialKey(file: number, template: number): number {
  return file * MAX_TABLE + template;
}

/** Digit `i` of `s`, or -1000 when it is no digit (which puts any sum it joins out of range). */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

let lastDayKey = -1;
let lastDayMs = 0;

/** Unix ms of the `YYYYMMDDHHMMSS.SSS` at `a` in `s` (18 characters), or NaN if it is not exactly one. */
function timestampMs(s: string, a: number): number {
  if (s.charCodeAt(a + 14) !== 46) return NaN;
  const year = digit(s, a) * 1000 + digit(s, a + 1) * 100 + digit(s, a + 2) * 10 + digit(s, a + 3);
  const month = digit(s, a + 4) * 10 + digit(s, a + 5);
  const day = digit(s, a + 6) * 10 + digit(s, a + 7);
  const h = digit(s, a + 8) * 10 + digit(s, a + 9);
  const mi = digit(s, a + 10) * 10 + digit(s, a + 11);
  const sec = digit(s, a + 12) * 10 + digit(s, a + 13);
  const ms = digit(s, a + 15) * 100 + digit(s, a + 16) * 10 + digit(s, a + 17);
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

/** The value of the upper-case hex digits of `s` from a to b (at most 8), or -1. */
function upperHex(s: string, a: number, b: number): number {
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) v = v * 16 + c - 48;
    else if (c >= 65 && c <= 70) v = v * 16 + c - 55;
    else return -1;
  }
  return v;
}

function isBase64(s: string, a: number, b: number): boolean {
  const n = b - a;
  if (n < 24 || n % 4 !== 0) return false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || (c === 61 && i >= b - 2);
    if (!ok) return false;
  }
  return true;
}

/** Empties `a`; most of a record's arrays are empty already, and setting a length is a call into the runtime. */
function clear(a: unknown[]): void {
  if (a.length !== 0) a.length = 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** An id form remembered for a value slot: the text around the serial, and the serial's width. */
interface SlotId {
  pre: string;
  width: number;
  post: string;
  template: number;
}

/**
 * Encodes lines into facts, growing the string table; `onIntern` is told of
 * each new entry so that its Intern record is written before the record.
 */
export class FactEncoder {
  private readonly index = new Map<string, number>();
  readonly strings: string[] = [];
  /** The previous serial of each id form, per file (serialKey). */
  readonly serials = new Map<number, number>();
  /** Serials a record changed, with their values before it (see undo): [key, value, key, value ...]. */
  private readonly touched: number[] = [];
  /** Per value slot (file and position in the record): the last string interned there and its entry. */
  private readonly slotText: string[] = [];
  private readonly slotEntry: number[] = [];
  private readonly slotId: Array<SlotId | undefined> = [];
  /** Per value slot: the minute (`YYYYMMDDHHMM`) of the last time there and its Unix ms; a slot's times mostly share it. */
  private readonly slotMinute: string[] = [];
  private readonly slotMinuteMs: number[] = [];
  /** The keys and kinds of the line last encoded. */
  readonly keys: string[] = [];
  readonly kinds: number[] = [];

  constructor(private readonly onIntern: (text: string) => void) {}

  /** Forgets the line encoded last: it will not be written as facts. */
  undo(): void {
    // Backwards: a serial changed twice gets back its value from before the first change.
    for (let i = this.touched.length - 2; i >= 0; i -= 2) this.serials.set(this.touched[i], this.touched[i + 1]);
    clear(this.touched);
  }

  /** The serials as they were before the line encoded last: what a reader of it has. */
  serialsBefore(): Map<number, number> {
    const copy = new Map(this.serials);
    for (let i = this.touched.length - 2; i >= 0; i -= 2) copy.set(this.touched[i], this.touched[i + 1]);
    return copy;
  }

  /** The table entry of `s`, or -1 when the table is full. */
  intern(s: string): number {
    let i = this.index.get(s);
    if (i !== undefined) return i;
    if (this.strings.length >= MAX_TABLE) return -1;
    i = this.strings.length;
    this.strings.push(s);
    this.index.set(s, i);
    this.onIntern(s);
    return i;
  }

  /** `intern` of s[a, b), remembering the answer for the value slot `slot`: a slot mostly sees the same few strings. */
  private internAt(s: string, a: number, b: number, slot: number): number {
    const last = this.slotText[slot];
    if (last !== undefined && last.length === b - a && s.startsWith(last, a)) return this.slotEntry[slot];
    const text = s.slice(a, b);
    const i = this.intern(text);
    this.slotText[slot] = text;
    this.slotEntry[slot] = i;
    return i;
  }

  /** timestampMs of s at `a`, with the slot's last minute remembered: only the seconds are read when it is the same. */
  private time(s: string, a: number, slot: number): number {
    const minute = this.slotMinute[slot];
    if (minute !== undefined && s.charCodeAt(a + 14) === 46 && s.startsWith(minute, a)) {
      const sec = digit(s, a + 12) * 10 + digit(s, a + 13);
      const ms = digit(s, a + 15) * 100 + digit(s, a + 16) * 10 + digit(s, a + 17);
      if (sec >= 0 && sec <= 59 && ms >= 0) return this.slotMinuteMs[slot] + sec * 1000 + ms;
    }
    const t = timestampMs(s, a);
    if (t === t) {
      this.slotMinute[slot] = s.slice(a, a + 12);
      this.slotMinuteMs[slot] = t - (t % 60_000);
    }
    return t;
  }

  /**
   * Encodes `line` of file `file` (a record at Unix ms `timeMs`) into `out`,
   * its keys and kinds into `keys` and `kinds`; `prev` is a shape's keys to
   * expect (the file's last). False when the line is not one compact JSON
   * object: it then goes as text (call undo).
   */
  encode(line: string, file: number, slotBase: number, timeMs: number, prev: readonly string[], out: Facts): boolean {
    clear(out.ints);
    clear(out.blobs);
    clear(out.texts);
    clear(this.touched);
    const keys = this.keys;
    const kinds = this.kinds;
    clear(keys);
    clear(kinds);
    const n = line.length;
    if (line.charCodeAt(0) !== 123) return false;
    if (n === 2 && line.charCodeAt(1) === 125) return true;
    // Escapes are rare: a line with none skips every check for them.
    const escapes = line.indexOf('\\') >= 0;
    let p = 1;
    for (let k = 0; ; k++) {
      if (line.charCodeAt(p) !== 34) return false;
      const q = line.indexOf('"', p + 1);
      if (q < 0 || line.charCodeAt(q + 1) !== 58) return false;
      if (escapes && line.lastIndexOf('\\', q) > p) return false;
      const expect = prev[k];
      keys.push(expect !== undefined && expect.length === q - p - 1 && line.startsWith(expect, p + 1) ? expect : line.slice(p + 1, q));
      p = this.value(line, q + 2, escapes, file, slotBase + (k & 255), timeMs, out);
      if (p < 0) return false;
      const c = line.charCodeAt(p);
      if (c === 125) return p === n - 1;
      if (c !== 44) return false;
      p++;
    }
  }

  /**
   * Encodes `line` as a record of a known shape (its `pattern`, and its
   * kinds less true and false): the common case, read with no look at its
   * keys. False when it is not one (call undo): `encode` then reads it.
   */
  match(line: string, file: number, slotBase: number, timeMs: number, pattern: RegExp | null, kinds: readonly number[], out: Facts): boolean {
    clear(out.ints);
    clear(out.blobs);
    clear(out.texts);
    clear(this.touched);
    const m = pattern === null ? null : pattern.exec(line);
    if (m === null) return false;
    for (let i = 0; i < kinds.length; i++) {
      const v = m[i + 1];
      const slot = slotBase + (i & 255);
      switch (kinds[i]) {
        case KIND_TIME: {
          const t = this.time(v, 0, slot);
          if (t !== t) return false;
          out.ints.push(t - timeMs);
          break;
        }
        case KIND_EUI: {
          const e = this.internAt(v, 0, 8, slot);
          if (e < 0) return false;
          out.ints.push(e, upperHex(v, 8, 16));
          break;
        }
        case KIND_INT:
          if (this.integer(v, 0, out) !== v.length) return false;
          break;
        default:
          if (!this.quotedValue(kinds[i], v, 0, v.length, file, slot, out)) return false;
      }
    }
    return true;
  }

  /** A value of quoted kind `kind` from s[a, b); false if it is none. */
  private quotedValue(kind: number, s: string, a: number, b: number, file: number, slot: number, out: Facts): boolean {
    switch (kind) {
      case KIND_ID:
        return this.id(s, a, b, file, slot, out);
      case KIND_STR: {
        const i = b - a <= MAX_INTERNED_LENGTH ? this.internAt(s, a, b, slot) : -1;
        if (i < 0) return false;
        out.ints.push(i);
        return true;
      }
      case KIND_B64:
        return this.base64(s, a, b, out);
      case KIND_TEXT:
        out.texts.push(s.slice(a, b));
        return true;
      default:
        return false;
    }
  }

  /** A canonical integer at `p` (no leading zero, no -0, a safe integer), appended; returns where it ends, or -1. */
  private integer(s: string, p: number, out: Facts): number {
    const neg = s.charCodeAt(p) === 45;
    const lead = neg ? p + 1 : p;
    let v = 0;
    let q = lead;
    for (let c = s.charCodeAt(q); isDigit(c); c = s.charCodeAt(++q)) v = v * 10 + c - 48;
    const c = s.charCodeAt(q);
    if (q === lead || q - lead > 16 || c === 46 || c === 101 || c === 69) return -1;
    if ((s.charCodeAt(lead) === 48 && q > lead + 1) || (neg && v === 0) || !Number.isSafeInteger(v)) return -1;
    out.ints.push(neg ? -v : v);
    return q;
  }

  private base64(s: string, a: number, b: number, out: Facts): boolean {
    if (!isBase64(s, a, b)) return false;
    const text = s.slice(a, b);
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text) return false;
    out.blobs.push(bytes);
    return true;
  }

  /** Encodes the value at `p`; returns where it ends, or -1. */
  private value(s: string, p: number, escapes: boolean, file: number, slot: number, timeMs: number, out: Facts): number {
    const c = s.charCodeAt(p);
    if (c === 34) {
      const q = s.indexOf('"', p + 1);
      if (q < 0) return -1;
      if (escapes && s.lastIndexOf('\\', q) > p) return this.json(s, p, jsonStringEnd(s, p), out);
      this.kinds.push(this.string(s, p + 1, q, file, slot, timeMs, out));
      return q + 1;
    }
    if (c === 45 || isDigit(c)) {
      const q = this.integer(s, p, out);
      if (q >= 0) {
        this.kinds.push(KIND_INT);
        return q;
      }
      let e = p + 1;
      for (let d = s.charCodeAt(e); isDigit(d) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45; d = s.charCodeAt(++e));
      return this.json(s, p, e, out);
    }
    if (s.startsWith('true', p)) {
      this.kinds.push(KIND_TRUE);
      return p + 4;
    }
    if (s.startsWith('false', p)) {
      this.kinds.push(KIND_FALSE);
      return p + 5;
    }
    if (s.startsWith('null', p)) return this.json(s, p, p + 4, out);
    if (c === 123 || c === 91) return this.json(s, p, nestedEnd(s, p), out);
    return -1;
  }

  /** The value s[p, q) as its JSON text. */
  private json(s: string, p: number, q: number, out: Facts): number {
    if (q < 0) return -1;
    out.texts.push(s.slice(p, q));
    this.kinds.push(KIND_JSON);
    return q;
  }

  /** The string s[a, b) (between its quotes, no escapes): its kind, its facts appended. */
  private string(s: string, a: number, b: number, file: number, slot: number, timeMs: number, out: Facts): number {
    const n = b - a;
    if (n === 18) {
      const t = this.time(s, a, slot);
      if (t === t) {
        out.ints.push(t - timeMs);
        return KIND_TIME;
      }
    }
    if (n === 16) {
      const hi = upperHex(s, a, a + 8);
      const lo = hi < 0 ? -1 : upperHex(s, a + 8, b);
      if (lo >= 0) {
        const e = this.internAt(s, a, a + 8, slot);
        if (e >= 0) {
          out.ints.push(e, lo);
          return KIND_EUI;
        }
      }
    }
    if (this.base64(s, a, b, out)) return KIND_B64;
    if (this.id(s, a, b, file, slot, out)) return KIND_ID;
    if (n <= MAX_INTERNED_LENGTH) {
      const i = this.internAt(s, a, b, slot);
      if (i >= 0) {
        out.ints.push(i);
        return KIND_STR;
      }
    }
    out.texts.push(s.slice(a, b));
    return KIND_TEXT;
  }

  /** An id with a serial (its longest run of digits): template entry and the serial's change appended; false if s[a, b) is none. */
  private id(s: string, a: number, b: number, file: number, slot: number, out: Facts): boolean {
    let template: number;
    let at: number;
    let width: number;
    const known = this.slotId[slot];
    // The slot's last form again (the common case): same text around a serial of the same width.
    if (known !== undefined && b - a === known.pre.length + known.width + known.post.length && s.startsWith(known.pre, a) && s.startsWith(known.post, b - known.post.length) && allDigits(s, a + known.pre.length, b - known.post.length)) {
      template = known.template;
      at = a + known.pre.length;
      width = known.width;
    } else {
      width = 0;
      at = -1;
      for (let i = a; i < b; ) {
        const c = s.charCodeAt(i);
        if (c === 1) return false;
        if (!isDigit(c)) {
          i++;
          continue;
        }
        let j = i + 1;
        while (j < b && isDigit(s.charCodeAt(j))) j++;
        if (j - i > width) {
          width = j - i;
          at = i;
        }
        i = j;
      }
      if (width < MIN_SERIAL_DIGITS || width > MAX_SERIAL_DIGITS) return false;
      const pre = s.slice(a, at);
      const post = s.slice(at + width, b);
      template = this.intern(pre + SEP + width + SEP + post);
      if (template < 0) return false;
      this.slotId[slot] = { pre, width, post, template };
    }
    let serial = 0;
    for (let i = at; i < at + width; i++) serial = serial * 10 + s.charCodeAt(i) - 48;
    const key = serialKey(file, template);
    const last = this.serials.get(key) ?? 0;
    this.touched.push(key, last);
    out.ints.push(template, serial - last);
    this.serials.set(key, serial);
    return true;
  }
}

function allDigits(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Where the JSON string beginning at `p` (its opening quote) ends, escapes honoured; -1 if it does not. */
function jsonStringEnd(s: string, p: number): number {
  for (let i = p + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/** Where the object or array beginning at `p` ends (brackets counted outside strings); -1 if it does not. */
function nestedEnd(s: string, p: number): number {
  let depth = 0;
  for (let i = p; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      i = jsonStringEnd(s, i) - 1;
      if (i < 0) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}
