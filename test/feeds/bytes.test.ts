/**
 * The byte writer's pieces, each against the string spelling it replaces:
 * timestamps (formatTimestamp) at hour, day, month and year edges, JSON
 * strings (JSON.stringify), raw strings and numbers (template literals),
 * ids (RunIds), EUI-64s (src/estate/eui.ts), literals of every length, and a
 * FileSink written through spellers, with records larger than its buffers,
 * against the same records as lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HexEui, LineBytes, ascii, spellLine, type Speller } from '../../src/feeds/bytes.js';
import { FileSink, MemorySink, prepareRunDir, writeRecord } from '../../src/feeds/sink.js';
import { formatTimestamp } from '../../src/dcc/time.js';
import { RunIds } from '../../src/dcc/ids.js';
import { deviceEui, euiOfDevice, euiOfHub, hubEui } from '../../src/estate/index.js';

/** What `piece` writes into a fresh LineBytes (one that grows from 1 byte, so every write must make room). */
function bytesOf(piece: (out: LineBytes) => void): string {
  const out = new LineBytes(Buffer.alloc(1));
  piece(out);
  return out.buf.toString('utf8', 0, out.pos);
}

describe('timestamps', () => {
  const edges = [
    Date.UTC(2026, 0, 15, 0, 59, 59, 999),
    Date.UTC(2026, 0, 15, 1, 0, 0, 0),
    Date.UTC(2025, 11, 31, 23, 59, 59, 999),
    Date.UTC(2026, 0, 1, 0, 0, 0, 0),
    Date.UTC(2024, 1, 29, 12, 34, 56, 789),
    Date.UTC(2024, 2, 1, 0, 0, 0, 1),
    0,
    -1,
    Date.UTC(2026, 5, 30, 23, 59, 59, 999) + 0.999,
    253_402_300_799_999,
    -62_167_219_200_000,
  ];

  it('spells Unix ms as formatTimestamp does, at hour, day, month and year edges', () => {
    for (const ms of edges) expect(bytesOf((o) => o.time(ms))).toBe(formatTimestamp(ms));
  });

  it('spells every millisecond and second of an hour, across more hours than the cache keeps', () => {
    const from = Date.UTC(2026, 2, 29, 0, 0, 0, 0);
    for (let i = 0; i < 400; i++) {
      const ms = from + i * 3_600_000 + ((i * 7_919_123) % 3_600_000);
      expect(bytesOf((o) => o.time(ms))).toBe(formatTimestamp(ms));
    }
    for (let ms = from; ms < from + 2000; ms++) expect(bytesOf((o) => o.time(ms))).toBe(formatTimestamp(ms));
  });

  it('copies a timestamp given spelled', () => {
    expect(bytesOf((o) => o.time('20260115001301.877'))).toBe('20260115001301.877');
  });

  it('rejects what formatTimestamp rejects', () => {
    for (const bad of [NaN, Infinity, 253_402_300_800_000]) {
      expect(() => bytesOf((o) => o.time(bad))).toThrow(RangeError);
    }
  });
});

describe('strings and numbers', () => {
  const texts = ['', 'DNO-UKPN', 'a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'é€', '😀', 'lone \ud800 surrogate', '\u007f', 'x'.repeat(5000)];

  it('quotes and escapes JSON strings exactly as JSON.stringify', () => {
    for (const s of texts) expect(bytesOf((o) => o.json(s))).toBe(Buffer.from(JSON.stringify(s), 'utf8').toString('utf8'));
  });

  it('writes raw strings as a template literal does, in UTF-8', () => {
    for (const s of texts) expect(bytesOf((o) => o.str(s))).toBe(Buffer.from(s, 'utf8').toString('utf8'));
  });

  it('spells numbers as `${n}` does', () => {
    const numbers = [0, -0, 7, 10, 99, 100, -1, -12345, 4_294_967_295, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, -0.25, NaN];
    for (const n of numbers) expect(bytesOf((o) => o.int(n))).toBe(`${n}`);
  });

  it('spells every width of a 32-bit integer, and its edges, as `${n}` does', () => {
    const numbers = [2 ** 31 - 1, 2 ** 31, -(2 ** 31) + 1, -(2 ** 31), -(2 ** 31) - 1, 86_400_000, -300_000];
    for (let p = 1; p <= 1e10; p *= 10) numbers.push(p - 1, p, -p, -(p - 1), p + 0.5);
    for (const n of numbers) expect(bytesOf((o) => o.int(n))).toBe(`${n}`);
  });

  it('spells a keyed number as its key and `${n}`, one digit or more', () => {
    const key = ascii(',"retries":');
    for (const n of [0, -0, 1, 9, 9.5, 10, -1, -9, 0.5, 12345, 2 ** 40, NaN]) expect(bytesOf((o) => o.intField(key, n))).toBe(`,"retries":${n}`);
    expect(bytesOf((o) => o.intField(key, undefined))).toBe('');
  });

  it('writes literals of every length byte for byte', () => {
    for (let n = 0; n <= 41; n++) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 37) % 95))).join('');
      expect(bytesOf((o) => o.lit(ascii(text)))).toBe(text);
    }
    expect(() => ascii('é')).toThrow(/not ASCII/);
  });
});

describe('ids and EUI-64s given as their parts', () => {
  const ids = new RunIds('279F03F4');
  const serials = [0, 1, 9, 10, 9999, 10_000, 99_999_999, 100_000_000, 123_456_789_012, 999_999_999_999, 1_000_000_000_000, 123_456_789_012_345];

  it('spell the same text as RunIds', () => {
    for (const s of serials) {
      expect(bytesOf((o) => ids.alertRef(s).spell(o))).toBe(ids.alertId(s));
      expect(bytesOf((o) => ids.sourceRef(s).spell(o))).toBe(ids.sourceId(s));
      expect(bytesOf((o) => ids.serviceResponseRef(s).spell(o))).toBe(ids.serviceResponseId(s));
      expect(bytesOf((o) => ids.requestRef(s).spell(o))).toBe(ids.requestId(s));
      expect(bytesOf((o) => ids.processRef(s).spell(o))).toBe(ids.processId(s));
      expect(bytesOf((o) => ids.alertRef(s, 3).spell(o))).toBe(`${ids.alertId(s)}-3`);
    }
  });

  it('spell the same EUI-64 as src/estate/eui.ts', () => {
    for (const i of [0, 1, 255, 65_535, 65_536, 1_249_999, 2 ** 31, 2 ** 32 - 1]) {
      expect(bytesOf((o) => hubEui(i).spell(o))).toBe(euiOfHub(i));
      expect(bytesOf((o) => deviceEui(i).spell(o))).toBe(euiOfDevice(i));
    }
    expect(bytesOf((o) => new HexEui(0xffffffff, 0).spell(o))).toBe('FFFFFFFF00000000');
  });
});

interface Sample {
  id: number;
  user: string;
  at: number;
  blob: string;
}
const K = { id: ascii('{"id":'), user: ascii(',"user":'), at: ascii(',"at":"'), blob: ascii(',"blob":"') };
const spellSample: Speller<Sample> = (out, r) => {
  out.intField(K.id, r.id);
  out.jsonField(K.user, r.user);
  out.timeField(K.at, r.at);
  out.strField(K.blob, r.blob);
  out.close();
};

describe('FileSink through a speller', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes the lines spellLine gives, with records larger than any buffer and strings between them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-bytes-'));
    dirs.push(dir);
    prepareRunDir(dir);
    const files = new FileSink(dir);
    const memory = new MemorySink();
    const f = files.open('feeds/s.jsonl', 'jsonl');
    const m = memory.open('feeds/s.jsonl', 'jsonl');
    const t0 = Date.UTC(2026, 0, 15, 23, 0, 0, 0);
    for (let i = 0; i < 40_000; i++) {
      const r: Sample = { id: i, user: i % 3 === 0 ? 'Ü"ser' : 'USER-1', at: t0 + i * 997, blob: 'é'.repeat(i % 50) };
      // A record of 3 MiB (larger than the largest buffer) and one of 2 MiB, in the middle of smaller ones.
      if (i === 20_000) r.blob = 'B'.repeat(3 * 1024 * 1024);
      if (i === 20_001) r.user = 'u'.repeat(2 * 1024 * 1024);
      writeRecord(f, spellSample, r);
      writeRecord(m, spellSample, r);
      if (i % 1000 === 0) {
        f.write(`# line ${i} ✓`);
        m.write(`# line ${i} ✓`);
      }
    }
    await files.close();
    await memory.close();
    const text = memory.text('feeds/s.jsonl');
    expect(fs.readFileSync(path.join(dir, 'feeds/s.jsonl'), 'utf8')).toBe(text);
    expect(f.records).toBe(m.records);
    expect(f.bytes).toBe(Buffer.byteLength(text, 'utf8'));
    expect(files.written()[0].sha256).toBe(memory.written()[0].sha256);
    // The memory sink saw the lines as spellLine spells them (line 1 is the first string written).
    expect(memory.lines('feeds/s.jsonl')[2]).toBe(spellLine(spellSample, { id: 1, user: 'USER-1', at: t0 + 997, blob: 'é' }));
    expect(memory.lines('feeds/s.jsonl')[2]).toBe(`{"id":1,"user":"USER-1","at":"${formatTimestamp(t0 + 997)}","blob":"é"}`);
  });

  it('leaves nothing of a record that cannot be spelled', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-bytes-'));
    dirs.push(dir);
    prepareRunDir(dir);
    const files = new FileSink(dir);
    const f = files.open('feeds/s.jsonl', 'jsonl');
    writeRecord(f, spellSample, { id: 1, user: 'U', at: 0, blob: '' });
    expect(() => writeRecord(f, spellSample, { id: 2, user: 'U', at: NaN, blob: '' })).toThrow(RangeError);
    writeRecord(f, spellSample, { id: 3, user: 'U', at: 0, blob: '' });
    await files.close();
    const lines = fs.readFileSync(path.join(dir, 'feeds/s.jsonl'), 'utf8').split('\n');
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['{"id":1,', '{"id":3,', '']);
    expect(f.records).toBe(2);
  });
});
