/**
 * Values as facts and back (src/record/values.ts): every value comes back as
 * it was, whatever it looks like, and the values the feeds carry are stored
 * as numbers rather than text.
 */
import { describe, expect, it } from 'vitest';
import {
  FactDecoder,
  FactEncoder,
  KIND_B64,
  KIND_EUI,
  KIND_ID,
  KIND_INT,
  KIND_JSON,
  KIND_STR,
  KIND_TEXT,
  KIND_TIME,
  Tables,
  compileShape,
  type Facts,
} from '../../src/record/values.js';

const T0 = Date.UTC(2026, 0, 15, 8, 30);

/** Encodes records one after the other and decodes them on a separate decoder, as a log's reader does. */
function roundTrip(records: Array<Record<string, unknown>>, file = 0) {
  const enc = new FactEncoder(new Tables(), () => {});
  const dec = new FactDecoder(enc.tables);
  return records.map((r, n) => {
    const f: Facts = { ints: [], blobs: [], texts: [] };
    enc.beginRecord();
    const keys = Object.keys(r);
    const kinds = keys.map((k, i) => enc.encode(r[k], file, i, T0 + n * 1000, f));
    const back = compileShape(keys, kinds)(dec, f, file, T0 + n * 1000);
    return { back, kinds, facts: f };
  });
}

describe('record values', () => {
  it('store feed times, EUIs, ids, Base64 and short strings as numbers and bytes', () => {
    const record = {
      alertId: 'AE803B7AB-000000000042',
      deviceId: '00DB12009B632086',
      t: '20260115083001.250',
      payload: Buffer.from('a GBCS payload of some length').toString('base64'),
      region: 'North',
      attempts: 2,
    };
    const [{ back, kinds, facts }] = roundTrip([record]);
    expect(kinds).toEqual([KIND_ID, KIND_EUI, KIND_TIME, KIND_B64, KIND_STR, KIND_INT]);
    expect(facts.texts).toEqual([]);
    // The time is stored as 1250 ms from the record's time.
    expect(facts.ints).toContain(1250);
    expect(back).toEqual(record);
  });

  it('give back values that only look like those kinds exactly as they were', () => {
    const odd = {
      notADate: '20260230000000.000', // 30 February
      lowerHex: '00db12009b632086',
      longSerial: 'X-12345678901234567890',
      padded: 'Y-000000000001-7',
      notCanonicalB64: 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY=', // a padding character too many
      negativeZero: -0, // renders as 0 in any serialiser, and comes back as 0
      float: 1.5,
      nothing: null,
      nested: { a: [1, 'b'] },
      control: 'a\u0001b-1234567',
      long: 'a long free text '.repeat(12),
      unicode: 'Gwynedd – Môn',
      big: 2 ** 53 + 2,
    };
    const [{ back, kinds }] = roundTrip([odd]);
    expect(JSON.stringify(back)).toBe(JSON.stringify(odd));
    expect(back.big).toBe(odd.big);
    expect(kinds[0]).not.toBe(KIND_TIME);
    expect(kinds[Object.keys(odd).indexOf('long')]).toBe(KIND_TEXT);
    expect(kinds[Object.keys(odd).indexOf('nested')]).toBe(KIND_JSON);
  });

  it('store an id as the change from the previous id of its form in the same file', () => {
    const ids = ['AE803B7AB-000000000001', 'AE803B7AB-000000000002', 'AE803B7AB-000000000010', 'AE803B7AB-000000000003'];
    const out = roundTrip(ids.map((alertId) => ({ alertId })));
    expect(out.map((o) => o.back.alertId)).toEqual(ids);
    expect(out.map((o) => o.facts.ints[1])).toEqual([1, 1, 8, -7]);
  });

  it('undo a record that goes as text, so that the next id is still read right', () => {
    const enc = new FactEncoder(new Tables(), () => {});
    const dec = new FactDecoder(enc.tables);
    const encode = (alertId: string) => {
      const f: Facts = { ints: [], blobs: [], texts: [] };
      enc.beginRecord();
      const kind = enc.encode(alertId, 0, 0, T0, f);
      return { f, kind };
    };
    encode('A-000001'); // never written: undone
    enc.undo();
    const second = encode('A-000005');
    expect(compileShape(['alertId'], [second.kind])(dec, second.f, 0, T0).alertId).toBe('A-000005');
  });
});
