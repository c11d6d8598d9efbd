/**
 * Durations and instants as scenario files write them. Inside the simulator
 * every time is a number of milliseconds; these parsers are the only place
 * where "15m" or "2026-01-15T00:00:00Z" is understood.
 */

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
/** Units of a compound duration must come largest first, each at most once ("1h30m", not "30m1h"). */
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms'];
const TOKEN = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const EXPECTED = 'expected a number of milliseconds or a duration such as "350ms", "2s", "15m", "6h", "1d", "1h30m" or "PT15M"';

/**
 * Milliseconds in a duration: a number is milliseconds; a string is a
 * number with units ("350ms", "2.5s", "1h30m"), a bare number of
 * milliseconds ("350"), or ISO-8601 ("PT15M", "P1DT2H"). The result may be
 * fractional ("1.5ms"); callers that need whole milliseconds round it.
 * Throws RangeError with a message fit to show a user.
 */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a duration: ${value}; ${EXPECTED}`);
    if (value < 0) throw new RangeError(`a duration must not be negative (got ${value})`);
    return value;
  }
  if (typeof value !== 'string') throw new RangeError(`not a duration: ${JSON.stringify(value)}; ${EXPECTED}`);
  const text = value.trim();
  if (text.startsWith('-')) throw new RangeError(`a duration must not be negative (got ${JSON.stringify(value)})`);
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const iso = ISO.exec(text);
  if (iso && text !== 'P' && text !== 'PT' && !text.endsWith('T')) {
    const [, d, h, m, s] = iso;
    return (
      Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s
    );
  }
  let total = 0;
  let lastUnit = -1;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const t = TOKEN.exec(text);
    if (!t) throw new RangeError(`not a duration: ${JSON.stringify(value)}; ${EXPECTED}`);
    const unit = UNIT_ORDER.indexOf(t[2]);
    if (unit <= lastUnit) {
      throw new RangeError(
        `not a duration: ${JSON.stringify(value)}; units must run from largest to smallest, each once (at "${text.slice(at)}")`,
      );
    }
    lastUnit = unit;
    total += Number(t[1]) * UNIT_MS[t[2]];
  }
  if (lastUnit < 0) throw new RangeError(`not a duration: ${JSON.stringify(value)}; ${EXPECTED}`);
  return total;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?$/;

/**
 * Unix milliseconds of an ISO-8601 UTC instant ("2026-01-15T00:00:00Z",
 * or a bare date meaning its midnight UTC). Local times and offsets are
 * refused: the feeds are in UTC and a scenario must not depend on the
 * machine's time zone.
 */
export function parseInstant(value: unknown): number {
  const bad = () =>
    new RangeError(`not a UTC date-time: ${JSON.stringify(value)}; expected ISO-8601 such as "2026-01-15T00:00:00Z"`);
  if (typeof value !== 'string') throw bad();
  const m = INSTANT.exec(value.trim());
  if (!m) throw bad();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0')));
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; refuse instead.
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || back.getUTCHours() !== +h || +mi > 59 || +s > 59) {
    throw bad();
  }
  return ms;
}

/** "1h30m", "350ms", "2d": how durations read back in messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  if (rest > 0) parts.push(`${Number(rest.toFixed(3))}ms`);
  return parts.join('');
}
