/**
 * The DCC's timestamp formats, written by one formatter: the feeds'
 * `YYYYMMDDHHMMSS.SSS` in UTC, as the CSP North sendMessage object and the
 * DSP mapped values spell it (seed 001, section 4.2, "Format
 * YYYYMMDDHHMMSS.SSS"), and DUIS's xs:dateTime `YYYY-MM-DDTHH:MM:SS.SSSZ`
 * (../shared/duis/duis54.xsd).
 *
 * A formatter runs once per timing point of every record, so the two share
 * one cache of the hours seen (both prefixes of each) and build the rest
 * from lookup tables: no Date object, no intermediate arrays per call.
 */

const HOUR_MS = 3_600_000;

/** "00".."59" and "000".."999": padding by table lookup. */
const PAD2: readonly string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => (i < 10 ? '00' : i < 100 ? '0' : '') + i);

/** Timestamps with four-digit years only: 0000-01-01 to 9999-12-31, as Unix ms. */
const FIRST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/**
 * The hours seen, by hour number modulo HOUR_SLOTS: a record's timing points
 * span hours and days (a firmware journey's request, delivery and activation),
 * so one cached hour would be rebuilt at nearly every call.
 */
const HOUR_SLOTS = 256;
const slotHour = new Float64Array(HOUR_SLOTS).fill(NaN);
/** `YYYYMMDDHH` and `YYYY-MM-DDTHH:` of each slot's hour. */
const slotCompact: string[] = new Array<string>(HOUR_SLOTS).fill('');
const slotIso: string[] = new Array<string>(HOUR_SLOTS).fill('');
/**
 * `YYYYMMDDHH` of each slot's hour as ASCII bytes for writeTimestamp: the
 * first eight as one float64 (eight ASCII bytes are never a NaN, so they pass
 * through a number unchanged), the last two as one 16-bit word.
 */
const slotHead = new Float64Array(HOUR_SLOTS);
const slotTail = new Uint16Array(HOUR_SLOTS);
const prefixBytes = new DataView(new ArrayBuffer(10));
/** The slot of the hour last seen, and its prefixes, read by stamp. */
let cachedHourStart = NaN;
let compactPrefix = '';
let isoPrefix = '';
let cachedSlot = 0;

/**
 * Milliseconds into the hour of `ms` (already floored), moving the cache to
 * that hour if needed. Throws a RangeError naming `format` for a non-finite
 * value or one outside years 0000-9999 (both formats have four year digits).
 */
function offsetInHour(ms: number, epochMs: number, format: string): number {
  const offset = ms - cachedHourStart;
  return offset >= 0 && offset < HOUR_MS ? offset : moveToHour(ms, epochMs, format);
}

/** offsetInHour for a time outside the hour last seen: small enough apart from this for V8 to inline offsetInHour. */
function moveToHour(ms: number, epochMs: number, format: string): number {
  if (!(ms >= FIRST_MS && ms <= LAST_MS)) {
    throw new RangeError(`cannot format ${epochMs} as ${format}: not a time between years 0000 and 9999`);
  }
  const hour = Math.floor(ms / HOUR_MS);
  const slot = ((hour % HOUR_SLOTS) + HOUR_SLOTS) % HOUR_SLOTS;
  cachedHourStart = hour * HOUR_MS;
  if (slotHour[slot] !== cachedHourStart) {
    const d = new Date(cachedHourStart);
    const y = d.getUTCFullYear();
    const yyyy = y < 10 ? '000' + y : y < 100 ? '00' + y : y < 1000 ? '0' + y : String(y);
    const mm = PAD2[d.getUTCMonth() + 1];
    const dd = PAD2[d.getUTCDate()];
    const hh = PAD2[d.getUTCHours()];
    slotHour[slot] = cachedHourStart;
    slotCompact[slot] = yyyy + mm + dd + hh;
    slotIso[slot] = yyyy + '-' + mm + '-' + dd + 'T' + hh + ':';
    for (let i = 0; i < 10; i++) prefixBytes.setUint8(i, slotCompact[slot].charCodeAt(i));
    slotHead[slot] = prefixBytes.getFloat64(0, true);
    slotTail[slot] = prefixBytes.getUint16(8, true);
  }
  cachedSlot = slot;
  compactPrefix = slotCompact[slot];
  isoPrefix = slotIso[slot];
  return ms - cachedHourStart;
}

/** The one formatter: `epochMs` floored to the millisecond, in the feeds' form or (`iso`) as xs:dateTime. */
function stamp(epochMs: number, iso: boolean): string {
  const ms = Math.floor(epochMs);
  const offset = offsetInHour(ms, epochMs, iso ? 'an xs:dateTime' : 'YYYYMMDDHHMMSS.SSS');
  const minute = (offset / 60_000) | 0;
  const rest = offset - minute * 60_000;
  const second = (rest / 1000) | 0;
  const milli = PAD3[rest - second * 1000];
  return iso
    ? isoPrefix + PAD2[minute] + ':' + PAD2[second] + '.' + milli + 'Z'
    : compactPrefix + PAD2[minute] + PAD2[second] + '.' + milli;
}

/**
 * `YYYYMMDDHHMMSS.SSS` (UTC) for Unix milliseconds; a fractional value is
 * floored to the millisecond. Throws a RangeError for a non-finite value or
 * one outside years 0000-9999 (the format has four year digits).
 */
export function formatTimestamp(epochMs: number): string {
  return stamp(epochMs, false);
}

/** "MMSS" for every second of an hour, and ".SSS" for every millisecond, as little-endian 32-bit words of ASCII. */
const MMSS_WORDS = Int32Array.from({ length: 3600 }, (_, i) => asciiWord(PAD2[(i / 60) | 0] + PAD2[i % 60]));
const MILLI_WORDS = Int32Array.from({ length: 1000 }, (_, i) => asciiWord('.' + PAD3[i]));

/** Four ASCII characters as one little-endian 32-bit word, for a single store (also the feeds' byte writer's). */
export function asciiWord(four: string): number {
  return four.charCodeAt(0) | (four.charCodeAt(1) << 8) | (four.charCodeAt(2) << 16) | (four.charCodeAt(3) << 24);
}

/**
 * formatTimestamp's 18 bytes written through `view` at `pos` (room checked
 * by the caller), without a string, in four stores; returns the position
 * after them. Same flooring and RangeError.
 */
export function writeTimestamp(view: DataView, pos: number, epochMs: number): number {
  const ms = Math.floor(epochMs);
  const offset = offsetInHour(ms, epochMs, 'YYYYMMDDHHMMSS.SSS');
  const second = (offset / 1000) | 0;
  view.setFloat64(pos, slotHead[cachedSlot], true);
  view.setUint16(pos + 8, slotTail[cachedSlot], true);
  view.setInt32(pos + 10, MMSS_WORDS[second], true);
  view.setInt32(pos + 14, MILLI_WORDS[offset - second * 1000], true);
  return pos + 18;
}

/** xs:dateTime in UTC with milliseconds, as DUIS writes it: `2015-01-01T00:00:00.000Z`. Same range as formatTimestamp. */
export function xsDateTime(epochMs: number): string {
  return stamp(epochMs, true);
}

const TIMESTAMP_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{3})$/;

/**
 * The `pattern` the feeds' JSON Schemas give timestamp strings: the shape,
 * with month, day, hour, minute and second in range (the day is not checked
 * against its month; parseTimestamp does that).
 */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]\\.[0-9]{3}$';

/**
 * Unix milliseconds for a `YYYYMMDDHHMMSS.SSS` (UTC) string. Strict: exactly
 * that shape, and a real calendar date and time of day (no 24:00, no
 * 31 April, no 29 February outside leap years). Throws a RangeError naming
 * the string otherwise.
 */
export function parseTimestamp(s: string): number {
  const m = TIMESTAMP_RE.exec(s);
  if (m === null) {
    throw new RangeError(`malformed timestamp ${JSON.stringify(s)}: expected YYYYMMDDHHMMSS.SSS`);
  }
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  const milli = +m[7];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`malformed timestamp ${JSON.stringify(s)}: no such date or time of day`);
  }
  // Date.UTC maps years 0..99 to 1900..1999, so build from year 2000 and shift by whole 400-year cycles.
  const cycles = Math.floor((year - 2000) / 400);
  const base = Date.UTC(year - cycles * 400, month - 1, day, hour, minute, second, milli);
  return base + cycles * 12_622_780_800_000; // 400 Gregorian years = 146097 days
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
