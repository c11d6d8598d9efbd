import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import {
  ALERT_THROUGHPUT_HEADER,
  AlertThroughputWindows,
  alertThroughputRowSchema,
  parseAlertThroughputRow,
  serializeAlertThroughputRow,
  type AlertThroughputRow,
} from '../../src/feeds/alert-throughput.js';
import { MemorySink } from '../../src/feeds/sink.js';

const B = Date.UTC(2026, 0, 15, 8, 0, 0); // 08:00:00.000
const W1 = '20260115080000.000,20260115081500.000';
const W2 = '20260115081500.000,20260115083000.000';
const PATH = 'feeds/alert-throughput-15min.csv';

function setup(settleMs = 60_000) {
  const sink = new MemorySink();
  const out = sink.open(PATH, 'csv');
  return { sink, out, acc: new AlertThroughputWindows(out, settleMs) };
}

function addExample(acc: AlertThroughputWindows) {
  // 08:14:59.999 -> first window; hubToCsp 500, cspToDsp 499, dspToSu 101, handshake 200, end-to-end 1300
  acc.add('North', '8F36', B + 899_000, B + 899_500, B + 899_999, B + 900_100, B + 900_300, 'delivered', false, B + 899_999);
  // 08:15:00.000 -> second window; no HubTimestamp, no handshake
  acc.add('North', '8F36', NaN, B + 899_800, B + 900_000, B + 900_050, NaN, 'failed', true, B + 900_000);
  // hubToCsp 1, cspToDsp 999, dspToSu 10, handshake 10, end-to-end 1020
  acc.add('North', '8F36', B + 99_000, B + 99_001, B + 100_000, B + 100_010, B + 100_020, 'delivered', false, B + 100_000);
  acc.add('SMETS1', '8F36', NaN, NaN, B + 300_000, NaN, NaN, 'rejected', false, B + 300_000);
  acc.add('Central', 'AD1', B + 100_000, B + 190_000, B + 200_000, B + 200_500, B + 201_000, 'delivered', false, B + 200_000);
  // end-to-end measured from cspReceived when chfReceived is unknown: 50_300 - 40_000
  acc.add('North', 'AD1', NaN, B + 40_000, B + 50_000, B + 50_100, B + 50_300, 'delivered', false, B + 50_000);
}

const EXPECTED_W1 = [
  // means: (500+1)/2 = 250.5 -> 251; (499+999)/2 = 749; (101+10)/2 = 55.5 -> 56; (200+10)/2 = 105
  `${W1},North,8F36,2,2,2,0,0,0,251,749,56,105,1300`,
  `${W1},North,AD1,1,1,1,0,0,0,,10000,100,200,10300`,
  `${W1},Central,AD1,1,1,1,0,0,0,90000,10000,500,500,101000`,
  `${W1},SMETS1,8F36,1,0,0,0,0,1,,,,,`,
];
const EXPECTED_W2 = [`${W2},North,8F36,1,1,0,1,1,0,,200,50,,`];

describe('AlertThroughputWindows', () => {
  it('cuts windows at UTC quarter hours, orders rows, computes hand-checked counts and means', () => {
    const { sink, acc } = setup();
    addExample(acc);
    acc.close();
    expect(sink.lines(PATH)).toEqual([ALERT_THROUGHPUT_HEADER, ...EXPECTED_W1, ...EXPECTED_W2]);
    expect(acc.rows).toBe(5);
  });

  it('writes a window only once the clock has passed its end plus the settle time', () => {
    const { sink, acc } = setup(60_000);
    addExample(acc);
    expect(acc.openWindows).toBe(2);
    acc.advance(B + 900_000 + 59_999);
    expect(sink.lines(PATH)).toEqual([ALERT_THROUGHPUT_HEADER]);
    acc.advance(B + 900_000 + 60_000);
    expect(sink.lines(PATH)).toEqual([ALERT_THROUGHPUT_HEADER, ...EXPECTED_W1]);
    expect(acc.openWindows).toBe(1);
    // an alert for a window already written is counted as late, not written twice
    acc.add('North', '8F36', NaN, NaN, B + 10, NaN, NaN, 'rejected', false, B + 10);
    expect(acc.late).toBe(1);
    // the open window still takes alerts
    acc.add('South', '8F36', NaN, NaN, B + 1_799_999, NaN, NaN, 'rejected', false, B + 1_799_999);
    acc.advance(B + 900_000 + 60_000); // nothing new
    acc.close();
    expect(sink.lines(PATH)).toEqual([
      ALERT_THROUGHPUT_HEADER,
      ...EXPECTED_W1,
      ...EXPECTED_W2,
      `${W2},South,8F36,1,0,0,0,0,1,,,,,`,
    ]);
    expect(acc.openWindows).toBe(0);
    expect(() => acc.add('North', '8F36', NaN, NaN, B, NaN, NaN, 'rejected', false, B)).toThrow(/after close/);
  });

  it('counts an alert as late by when its journey ended, whenever the window is written', () => {
    // Settle 60 s: the first window (08:00-08:15) closes for good at 08:16.
    const early = setup(60_000);
    const late = setup(60_000);
    for (const { acc } of [early, late]) acc.add('North', '8F36', NaN, NaN, B + 10, NaN, NaN, 'rejected', false, B + 960_000);
    // Ended one millisecond after the settle time: late, though no window has been written yet.
    early.acc.add('North', '8F36', NaN, NaN, B + 20, NaN, NaN, 'rejected', false, B + 960_001);
    expect(early.acc.late).toBe(1);
    // The same alert when the window was already written by an earlier advance: late too.
    late.acc.advance(B + 960_000);
    late.acc.add('North', '8F36', NaN, NaN, B + 20, NaN, NaN, 'rejected', false, B + 960_001);
    expect(late.acc.late).toBe(1);
    early.acc.close();
    late.acc.close();
    expect(early.sink.lines(PATH)).toEqual(late.sink.lines(PATH));
    expect(early.sink.lines(PATH)[1]).toBe(`${W1},North,8F36,1,0,0,0,0,1,,,,,`);
  });

  it('a run with no alerts writes only the header; skips empty windows', () => {
    const { sink, acc } = setup();
    acc.advance(B + 86_400_000);
    acc.close();
    expect(sink.lines(PATH)).toEqual([ALERT_THROUGHPUT_HEADER]);
    const s2 = setup();
    s2.acc.add('South', '8F36', NaN, NaN, B, NaN, NaN, 'rejected', false, B);
    s2.acc.add('South', '8F36', NaN, NaN, B + 3_600_000, NaN, NaN, 'rejected', false, B + 3_600_000);
    s2.acc.close();
    expect(s2.sink.lines(PATH).map((l) => l.slice(0, 18))).toEqual(['windowStart,window', '20260115080000.000', '20260115090000.000']);
  });

  it('refuses an alert without a DSP receipt time and a bad settle time', () => {
    const { acc, out } = setup();
    expect(() => acc.add('North', '8F36', NaN, NaN, NaN, NaN, NaN, 'delivered', false, NaN)).toThrow(/no DSP receipt/);
    expect(() => new AlertThroughputWindows(out, -1)).toThrow(/settleMs/);
  });
});

describe('alert-throughput rows', () => {
  const ajv = new Ajv2020.default({ strict: true });
  const valid = ajv.compile(alertThroughputRowSchema);

  it('every written row parses to an object that validates and serializes back to the same line', () => {
    const { sink, acc } = setup();
    addExample(acc);
    acc.close();
    const [header, ...rows] = sink.lines(PATH);
    expect(header).toBe(ALERT_THROUGHPUT_HEADER);
    for (const line of rows) {
      const row = parseAlertThroughputRow(line);
      expect(valid(row), JSON.stringify(valid.errors)).toBe(true);
      expect(serializeAlertThroughputRow(row)).toBe(line);
    }
    expect(parseAlertThroughputRow(EXPECTED_W1[1])).toEqual({
      windowStart: '20260115080000.000', windowEnd: '20260115081500.000', region: 'North', alertCode: 'AD1',
      receivedByDsp: 1, passedToServiceUser: 1, handshakeReceived: 1, throttled: 0, failed: 0, rejected: 0,
      meanHubToCspMs: null, meanCspToDspMs: 10000, meanDspToServiceUserMs: 100, meanHandshakeMs: 200, maxEndToEndMs: 10300,
    } satisfies AlertThroughputRow);
  });

  it('bad rows fail', () => {
    const good = parseAlertThroughputRow(EXPECTED_W1[0]);
    expect(valid({ ...good, windowStart: '20260115081500' })).toBe(false);
    expect(valid({ ...good, region: 'north' })).toBe(false);
    expect(valid({ ...good, meanCspToDspMs: 1.5 })).toBe(false);
    expect(valid({ ...good, receivedByDsp: 0 })).toBe(false);
    const { maxEndToEndMs: _, ...missing } = good;
    expect(valid(missing)).toBe(false);
    expect(() => parseAlertThroughputRow(EXPECTED_W1[0] + ',1')).toThrow(/expected 15 columns, found 16/);
    expect(() => parseAlertThroughputRow(EXPECTED_W1[0].replace(',2,2,2,', ',2,x,2,'))).toThrow(/column passedToServiceUser: "x"/);
  });
});
