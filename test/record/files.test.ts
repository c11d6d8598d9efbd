/**
 * `replay --out` on several threads (src/record/files.ts): each file must
 * come out exactly as the one-thread replay through a FeedSink gives it,
 * whole or in a window, and from a damaged log the threads must stop at the
 * same record, whichever thread renders it, so that --salvage keeps exactly
 * the records before it. Threads need the built worker script, so the
 * module is loaded from dist/ (as the CLI tests use the built CLI).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { MemorySink } from '../../src/feeds/sink.js';
import { replayLog } from '../../src/record/replay.js';
import { LogReader, decodeHot, hotRecord } from '../../src/record/log.js';
import type { replayFiles as ReplayFiles } from '../../src/record/files.js';
import { SMALL_SCENARIO } from '../support/record.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = path.join(root, 'dist/src/record/files.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const log = path.join(tmp, 'run.twinlog');
const H = 3_600_000;
let replayFiles: typeof ReplayFiles;

beforeAll(async () => {
  replayFiles = ((await import(pathToFileURL(built).href)) as { replayFiles: typeof ReplayFiles }).replayFiles;
  await runTwin(parseScenario(SMALL_SCENARIO, 'small.yaml'), { outDir: tmp, sink: new MemorySink(), record: log });
}, 120_000);

/** Replays `file` both ways; each file's bytes and the bad record (if any) must agree. */
async function bothWays(file: string, dir: string, opts: { fromMs?: number; toMs?: number } = {}) {
  const mem = new MemorySink();
  const one = await replayLog(file, mem, opts);
  const many = await replayFiles(file, path.join(tmp, dir), { ...opts, threads: 2, salvage: true });
  expect(many.written.map((w) => w.path)).toEqual(mem.written().map((w) => w.path));
  for (const w of mem.written()) {
    expect(readFileSync(path.join(tmp, dir, w.path), 'utf8'), w.path).toBe(mem.text(w.path));
    expect(many.written.find((x) => x.path === w.path)!.sha256, w.path).toBe(w.sha256);
  }
  expect(many.bad?.message).toBe(one.bad?.message);
  expect(many.files).toEqual(one.files);
  return { one, many, mem };
}

/** Each record's offset, end, and its file and shape when it is a Fields record. */
function records(file: string): Array<{ offset: number; start: number; end: number; file: number; shape: number; kind: number }> {
  const r = new LogReader(file);
  const h = hotRecord();
  const out = [];
  r.read();
  while (r.readFrame()) {
    const hot = decodeHot(r.buffer, r.bodyStart, r.bodyEnd, h);
    // The body ends 4 bytes (its CRC) before the next record.
    const end = r.next - 4;
    out.push({ offset: r.offset, start: end - (r.bodyEnd - r.bodyStart), end, file: hot ? h.file : -1, shape: h.shape, kind: hot ? h.kind : 0 });
  }
  r.close();
  return out;
}

describe.skipIf(!existsSync(built))('replay to a directory on several threads', () => {
  it('gives every file byte for byte, whole and in windows', async () => {
    const { many } = await bothWays(log, 'whole');
    expect(many.complete).toBe(true);
    expect(many.written.some((w) => w.path === 'feeds/dsp-ast.jsonl' && w.records > 0)).toBe(true);
    await bothWays(log, 'first-hour', { toMs: H });
    await bothWays(log, 'second-hour', { fromMs: H, toMs: 2 * H });
  });

  it('stops every thread at a corrupt record, whichever thread renders it', async () => {
    const bytes = Buffer.from(readFileSync(log));
    const recs = records(log);
    // A byte of a line's facts, a third of the way in: only the thread that renders its file checks its CRC.
    const lines = recs.filter((x) => x.kind === 6);
    const rec = lines[Math.floor(lines.length / 3)];
    bytes[rec.end - 1] ^= 0x01;
    const flipped = path.join(tmp, 'flipped.twinlog');
    writeFileSync(flipped, bytes);
    const { many } = await bothWays(flipped, 'flipped');
    expect(many.bad?.offset).toBe(rec.offset);
    expect(many.bad?.problem).toContain('CRC-32');
  });

  it('stops every thread at a record that does not fit its shape, which only its own thread reads', async () => {
    const bytes = Buffer.from(readFileSync(log));
    const recs = records(log);
    const shaped = recs.filter((x) => x.kind === 6 && x.shape > 0 && x.shape < 127);
    const rec = shaped[Math.floor(shaped.length / 4)];
    // The shape's field (0x18, one byte of value) made to name a shape never written; the CRC made to match.
    const at = bytes.indexOf(Buffer.from([0x18, rec.shape]), rec.start);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(rec.end);
    bytes[at + 1] = 127;
    bytes.writeUInt32LE(zlib.crc32(bytes.subarray(rec.start, rec.end)), rec.end);
    const odd = path.join(tmp, 'odd-shape.twinlog');
    writeFileSync(odd, bytes);
    const { many } = await bothWays(odd, 'odd-shape');
    expect(many.bad?.offset).toBe(rec.offset);
    expect(many.bad?.problem).toContain('shape 127');
  });
});
