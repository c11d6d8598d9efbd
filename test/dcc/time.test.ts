import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/random.js';
import { formatTimestamp, parseTimestamp, TIMESTAMP_PATTERN } from '../../src/dcc/time.js';

/** The reference: the same format built from Date's ISO string. */
function viaDate(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // 2026-01-15T08:30:00.350Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + '.' + iso.slice(20, 23);
}

describe('formatTimestamp', () => {
  it('formats the seed 001 example shape', () => {
    expect(formatTimestamp(Date.UTC(2026, 0, 15, 8, 30, 0, 350))).toBe('20260115083000.350');
  });

  it('agrees with Date for random times, in random order and in runs within one hour', () => {
    const rng = new RandomStreams(7).stream('time');
    const lo = Date.UTC(1970, 0, 1);
    const hi = Date.UTC(2100, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      const ms = lo + Math.floor(rng() * (hi - lo));
      expect(formatTimestamp(ms)).toBe(viaDate(ms));
      // nearby times reuse the cached hour prefix, including across its edge
      const near = ms + Math.floor(rng() * 7_200_000) - 3_600_000;
      expect(formatTimestamp(near)).toBe(viaDate(near));
    }
  });

  it('floors fractional milliseconds', () => {
    const t = Date.UTC(2026, 5, 1, 12, 0, 0, 999);
    expect(formatTimestamp(t + 0.75)).toBe('20260601120000.999');
    expect(formatTimestamp(t + 1.2)).toBe('20260601120001.000');
  });

  it('handles midnight, year end, leap day and the hour edges', () => {
    expect(formatTimestamp(Date.UTC(2026, 0, 15, 23, 59, 59, 999))).toBe('20260115235959.999');
    expect(formatTimestamp(Date.UTC(2026, 0, 16, 0, 0, 0, 0))).toBe('20260116000000.000');
    expect(formatTimestamp(Date.UTC(2025, 11, 31, 23, 59, 59, 999))).toBe('20251231235959.999');
    expect(formatTimestamp(Date.UTC(2026, 0, 1))).toBe('20260101000000.000');
    expect(formatTimestamp(Date.UTC(2024, 1, 29, 13, 7, 5, 42))).toBe('20240229130705.042');
    expect(formatTimestamp(Date.UTC(2024, 2, 1) - 1)).toBe('20240229235959.999');
    expect(formatTimestamp(Date.UTC(2026, 2, 1) - 1)).toBe('20260228235959.999');
    expect(formatTimestamp(Date.UTC(2026, 3, 1, 9, 59, 59, 999))).toBe('20260401095959.999');
    expect(formatTimestamp(Date.UTC(2026, 3, 1, 10))).toBe('20260401100000.000');
    expect(formatTimestamp(0)).toBe('19700101000000.000');
    expect(formatTimestamp(-1)).toBe('19691231235959.999');
    expect(formatTimestamp(253_402_300_799_999)).toBe('99991231235959.999');
  });

  it('rejects values it cannot format', () => {
    expect(() => formatTimestamp(NaN)).toThrow(/cannot format NaN/);
    expect(() => formatTimestamp(Infinity)).toThrow(RangeError);
    expect(() => formatTimestamp(253_402_300_800_000)).toThrow(/years 0000 and 9999/);
  });
});

describe('parseTimestamp', () => {
  it('inverts formatTimestamp', () => {
    const rng = new RandomStreams(8).stream('parse');
    for (let i = 0; i < 5000; i++) {
      const ms = Math.floor(rng() * 4_102_444_800_000);
      expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
    }
    expect(parseTimestamp('20240229235959.999')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseTimestamp('00500101000000.000')).toBe(new Date('0050-01-01T00:00:00.000Z').getTime());
    expect(parseTimestamp('19991231235959.999')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
  });

  it('is strict', () => {
    for (const bad of [
      '',
      '20260115083000.35',
      '20260115083000350',
      '2026011508300.350',
      ' 20260115083000.350',
      '20260115083000.350Z',
      '2026-01-15T08:30:00.350Z',
      '20261315083000.000', // month 13
      '20260100083000.000', // day 0
      '20260431083000.000', // 31 April
      '20260229083000.000', // not a leap year
      '21000229083000.000', // 2100 is not a leap year
      '20260115240000.000', // hour 24
      '20260115086000.000', // minute 60
      '20260115083060.000', // second 60
    ]) {
      expect(() => parseTimestamp(bad), bad).toThrow(/malformed timestamp/);
    }
    expect(parseTimestamp('20000229000000.000')).toBe(Date.UTC(2000, 1, 29));
  });

  it('the schema pattern accepts formatted times and rejects bad shapes', () => {
    const re = new RegExp(TIMESTAMP_PATTERN);
    expect(re.test(formatTimestamp(Date.UTC(2026, 11, 31, 23, 59, 59, 999)))).toBe(true);
    expect(re.test('20261315083000.000')).toBe(false);
    expect(re.test('20260115083000.35')).toBe(false);
    expect(re.test('20260115243000.000')).toBe(false);
  });
});
