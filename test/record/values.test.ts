/**
 * Lines as facts and back (src/record/values.ts, src/record/render.ts):
 * every line comes back byte for byte, whatever its values look like; the
 * values the feeds carry are stored as numbers rather than text; a line
 * that is no compact JSON object is refused (it goes as text).
 */
import { describe, expect, it } from 'vitest';
import { FactEncoder, KIND_B64, KIND_EUI, KIND_FALSE, KIND_ID, KIND_INT, KIND_JSON, KIND_STR, KIND_TEXT, KIND_TIME, KIND_TRUE, segments, shapePattern, type Facts } from '../../src/record/values.js';
import { Renderer, bound, compileShape, hotFacts as hot } from '../../src/record/render.js';

const T0 = Date.UTC(2026, 0, 15, 8, 30);

/** Encodes lines one after the other (by `match` against the last shape when `matching`) and renders them on a separate reader. */
function roundTrip(lines: string[], matching = false) {
  const r = new Renderer();
  const enc = new FactEncoder((s) => r.add(s));
  let last: { keys: string[]; kinds: number[]; pattern: RegExp | null; values: number[] } | null = null;
  return lines.map((line, n) => {
    const f: Facts = { ints: [], blobs: [], texts: [] };
    const t = T0 + n * 1000;
    let matched = false;
    if (matching && last !== null) {
      matched = enc.match(line, 0, 0, t, last.pattern, last.values, f);
      if (!matched) enc.undo();
    }
    let kinds: number[] = [];
    if (!matched) {
      if (!enc.encode(line, 0, 0, t, last?.keys ?? [], f)) return { ok: false, back: '', kinds, facts: f, matched };
      kinds = [...enc.kinds];
      last = { keys: [...enc.keys], kinds, pattern: shapePattern(segments(enc.keys, kinds), kinds), values: kinds.filter((k) => k !== KIND_TRUE && k !== KIND_FALSE) };
    }
    const shape = compileShape(last!.keys, last!.kinds);
    const h = hot(f);
    const out = Buffer.alloc(bound(shape, r, h));
    const end = shape.render(r, h, out, 0, t, 0);
    return { ok: true, back: out.toString('utf8', 0, end), kinds, facts: f, matched };
  });
}

describe('record values', () => {
  it('store feed times, EUIs, ids, Base64 and short strings as numbers and bytes', () => {
    const payload = Buffer.from('a GBCS payload of some length').toString('base64');
    const line = `{"alertId":"AE803B7AB-000000000042","deviceId":"00DB12009B632086","t":"20260115083001.250","payload":"${payload}","region":"North","attempts":2,"throttled":true}`;
    const [{ back, kinds, facts }] = roundTrip([line]);
    expect(back).toBe(line);
    expect(kinds).toEqual([KIND_ID, KIND_EUI, KIND_TIME, KIND_B64, KIND_STR, KIND_INT, KIND_TRUE]);
    expect(facts.texts).toEqual([]);
    // The time is stored as 1250 ms from the record's time.
    expect(facts.ints).toContain(1250);
  });

  it('give back values that only look like those kinds exactly as they were', () => {
    const line = JSON.stringify({
      notADate: '20260230000000.000', // 30 February
      lowerHex: '00db12009b632086',
      longSerial: 'X-12345678901234567890',
      padded: 'Y-000000000001-7',
      notCanonicalB64: 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY=', // a padding character too many
      float: 1.5,
      nothing: null,
      nested: { a: [1, 'b}'] },
      escaped: 'a "quoted" \\ word-1234567',
      control: 'a\u0001b-1234567',
      long: 'a long free text '.repeat(12),
      unicode: 'Gwynedd – Môn',
      big: 2 ** 53 + 2,
      negative: -42,
    }).replace('"negative":-42', '"negative":-42,"minusZero":-0,"leadingZero":007,"exp":1e3');
    const [{ ok, back, kinds }] = roundTrip([line]);
    expect(ok).toBe(true);
    expect(back).toBe(line);
    expect(kinds[0]).not.toBe(KIND_TIME);
    expect(kinds[10]).toBe(KIND_TEXT);
    expect(kinds[7]).toBe(KIND_JSON);
    expect(kinds[13]).toBe(KIND_INT);
    expect(kinds.slice(14)).toEqual([KIND_JSON, KIND_JSON, KIND_JSON]);
  });

  it('read a time in the minute of the slot\'s last time by its seconds, and still check them', () => {
    // The second and third lines share the first's minute: only their seconds are read, and 60 is no second.
    const lines = ['{"t":"20260115083059.999"}', '{"t":"20260115083000.000"}', '{"t":"20260115083060.000"}', '{"t":"20260115083100.001"}'];
    for (const matching of [false, true]) {
      const out = roundTrip(lines, matching);
      expect(out.map((o) => o.back)).toEqual(lines);
      // Times are stored as ms from the record's time (T0, T0 + 1 s, ...); 08:30:60 read as a time would be 58,000.
      expect(out.slice(0, 2).map((o) => o.facts.ints[0])).toEqual([59_999, -1_000]);
      expect(out[2].facts.ints[0]).not.toBe(58_000);
    }
    // Read afresh (no shape to match against), the last is a time again.
    expect(roundTrip(lines)[3].facts.ints[0]).toBe(57_001);
  });

  it('render times across minutes, hours, days and years back to their digits', () => {
    const times = ['20260115083001.250', '20260115083059.999', '20260115083100.000', '20260115235959.999', '20260116000000.000', '20251231235900.500', '20260115083001.251', '20240229120000.007'];
    const lines = times.map((t) => `{"t":"${t}","u":"${t}"}`);
    for (const matching of [false, true]) {
      const out = roundTrip(lines, matching);
      expect(out.map((o) => o.back)).toEqual(lines);
      expect(out.every((o) => o.ok)).toBe(true);
    }
  });

  it('refuse a line that is no compact JSON object, so that it goes as text', () => {
    const refused = ['{"a": 1}', '{"a":1} ', '[1,2]', '{"a":1,}', '{"a":tru}', '{"a":"b"', 'plain text', '{"a\\"b":1}'];
    for (const line of refused) expect(roundTrip([line])[0].ok, line).toBe(false);
    expect(roundTrip(['{}'])[0].back).toBe('{}');
  });

  it('store an id as the change from the previous id of its form in the same file', () => {
    const ids = ['AE803B7AB-000000000001', 'AE803B7AB-000000000002', 'AE803B7AB-000000000010', 'AE803B7AB-000000000003'];
    const out = roundTrip(ids.map((id) => `{"alertId":"${id}"}`));
    expect(out.map((o) => o.back)).toEqual(ids.map((id) => `{"alertId":"${id}"}`));
    expect(out.map((o) => o.facts.ints[1])).toEqual([1, 1, 8, -7]);
  });

  it('read lines of a known shape against it, and fall back when one is not of it', () => {
    const lines = [
      '{"id":"AE803B7AB-000000000001","at":"20260115083001.250","n":3,"ok":false,"who":"DNO-UKPN","a.b(c)*":"x"}',
      '{"id":"AE803B7AB-000000000002","at":"20260115083002.000","n":-12,"ok":false,"who":"DNO-NPG","a.b(c)*":"y"}',
      // The same keys, but a key's text differs where a pattern's special characters stand.
      '{"id":"AE803B7AB-000000000003","at":"20260115083002.000","n":-12,"ok":false,"who":"DNO-NPG","axb(c)*":"y"}',
      // Not of the shape: a value of another kind, then true for false.
      '{"id":"AE803B7AB-000000000004","at":"20260115083002.000","n":1.5,"ok":false,"who":"DNO-NPG"}',
      '{"id":"AE803B7AB-000000000005","at":"20260115083002.000","n":1.5,"ok":true,"who":"DNO-NPG"}',
      '{"id":"AE803B7AB-000000000006","at":"20260115083002.000","n":007,"ok":true,"who":"DNO-NPG"}',
    ];
    const out = roundTrip(lines, true);
    expect(out.map((o) => o.back)).toEqual(lines);
    expect(out.map((o) => o.matched)).toEqual([false, true, false, false, false, false]);
  });

  it('undo a line that goes as text, so that the next id is still read right', () => {
    const r = new Renderer();
    const enc = new FactEncoder((s) => r.add(s));
    const f: Facts = { ints: [], blobs: [], texts: [] };
    expect(enc.encode('{"id":"A-000001"}', 0, 0, T0, [], f)).toBe(true);
    enc.undo(); // never written
    expect(enc.encode('{"id":"A-000005"}', 0, 0, T0, [], f)).toBe(true);
    const shape = compileShape(['id'], [KIND_ID]);
    const out = Buffer.alloc(64);
    expect(out.toString('utf8', 0, shape.render(r, hot(f), out, 0, T0, 0))).toBe('{"id":"A-000005"}');
  });
});
