/**
 * Replay into a pipeline under test: windows (--from/--to), a delivery
 * directory watched by a poller as a TOC pipeline would watch it, and a
 * WebSocket client. Each is checked against the full replay of the same log.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { MemorySink } from '../../src/feeds/sink.js';
import { replayLog } from '../../src/record/replay.js';
import { DirectorySink, WallPacer, WebSocketSink } from '../../src/record/delivery.js';
import { formatTimestamp } from '../../src/dcc/time.js';
import { SMALL_SCENARIO } from '../support/record.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-deliver-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const log = path.join(tmp, 'run.twinlog');
const H = 3_600_000;
let full: MemorySink;
let epoch = 0;

beforeAll(async () => {
  const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
  epoch = scenario.epoch;
  await runTwin(scenario, { outDir: tmp, sink: new MemorySink(), record: log });
  full = new MemorySink();
  await replayLog(log, full);
}, 120_000);

/** Every file under `dir` but dot-files (a delivery's partial files), relative. */
function visible(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel))
    .filter((n) => !n.startsWith('.'))
    .flatMap((n) => {
      const p = rel === '' ? n : `${rel}/${n}`;
      return statSync(path.join(dir, p)).isDirectory() ? visible(dir, p) : [p];
    });
}

describe('replay windows', () => {
  it('split a log into windows whose lines, put together, are the whole', async () => {
    const parts = [new MemorySink(), new MemorySink(), new MemorySink()];
    await replayLog(log, parts[0], { toMs: H });
    await replayLog(log, parts[1], { fromMs: H, toMs: 2 * H });
    await replayLog(log, parts[2], { fromMs: 2 * H });
    for (const p of full.paths()) {
      const lines = full.lines(p);
      const isCsv = p.endsWith('.csv');
      // Each window's CSV file has the header; the rest is the window's rows.
      const joined = parts.flatMap((s, i) => (isCsv && i > 0 ? s.lines(p).slice(1) : s.lines(p)));
      expect(joined, p).toEqual(lines);
      if (isCsv) for (const s of parts) expect(s.lines(p)[0]).toBe(lines[0]);
    }
    // The outage (30m to 75m) fills the first two windows.
    expect(parts[0].lines('feeds/dsp-ast.jsonl').length).toBeGreaterThan(0);
    expect(parts[1].lines('feeds/dsp-ast.jsonl').length).toBeGreaterThan(0);
  });
});

describe('delivery to a directory', () => {
  it('drops whole files, in time order, that a poller sees as the TOC would', async () => {
    const dir = path.join(tmp, 'toc');
    const sink = new DirectorySink(dir, epoch);
    const seen = new Map<string, { poll: number; text: string }>();
    let polls = 0;
    const poll = () => {
      polls++;
      for (const f of visible(dir)) if (!seen.has(f)) seen.set(f, { poll: polls, text: readFileSync(path.join(dir, f), 'utf8') });
    };
    const poller = setInterval(poll, 5);
    const speed = 3 * 7200; // 3 simulated hours in half a wall second
    const t0 = performance.now();
    const r = await replayLog(log, sink, { listeners: [sink], pacer: new WallPacer(speed) });
    const wall = performance.now() - t0;
    clearInterval(poller);
    poll();

    // Paced: the run's 3 hours (and the drain after) took at least 3 h / speed of wall time.
    expect(wall).toBeGreaterThanOrEqual((3 * H) / speed - 5);
    // A file never changes once seen: nobody reads half a file.
    for (const [f, s] of seen) expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(s.text);
    expect(sink.dropped.slice().sort()).toEqual([...seen.keys()].sort());

    const periodEnd = (f: string) => {
      const stamp = path.basename(f).slice(0, 14);
      const start = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12));
      return start + (f.includes('dsp-ast') || f.includes('csp-') || f.includes('s1sp') || f.includes('throughput') ? 15 * 60_000 : 24 * H);
    };
    // In order: a period that ended earlier was seen no later.
    const files = [...seen.entries()];
    for (const [a, sa] of files) for (const [b, sb] of files) if (periodEnd(a) < periodEnd(b)) expect(sa.poll, `${a} before ${b}`).toBeLessThanOrEqual(sb.poll);
    // Several polls saw files arrive: delivery is spread over the replay, not dropped at its end.
    expect(new Set(files.map(([, s]) => s.poll)).size).toBeGreaterThan(3);

    // Quarter-hour files for the alert feeds, put together, are the feed; the truths are not delivered.
    const ast = sink.dropped.filter((f) => f.startsWith('feeds/dsp-ast/'));
    expect(ast[0]).toBe(`feeds/dsp-ast/${formatTimestamp(epoch).slice(0, 14)}.jsonl`);
    // Every quarter hour to the run's end, the drain after the 3 hours included (the epoch is on a quarter hour).
    expect(r.endMs).toBeGreaterThanOrEqual(3 * H);
    expect(ast.length).toBe(Math.ceil(r.endMs / (15 * 60_000)));
    // The last throughput rows are written at the run's very end: they are delivered too.
    expect(sink.dropped.filter((f) => f.startsWith('feeds/alert-throughput-15min/')).length).toBeGreaterThan(ast.length - 1);
    expect(ast.flatMap((f) => seen.get(f)!.text.split('\n').filter((l) => l !== ''))).toEqual([...full.lines('feeds/dsp-ast.jsonl')]);
    const csv = sink.dropped.filter((f) => f.startsWith('feeds/alert-throughput-15min/'));
    const header = full.lines('feeds/alert-throughput-15min.csv')[0];
    for (const f of csv) expect(seen.get(f)!.text.startsWith(header + '\n'), f).toBe(true);
    expect(csv.flatMap((f) => seen.get(f)!.text.split('\n').slice(1).filter((l) => l !== ''))).toEqual(full.lines('feeds/alert-throughput-15min.csv').slice(1));
    // A daily feed of a 3-hour run: one file, delivered at the run's end.
    expect(sink.dropped.filter((f) => f.startsWith('feeds/su-deliveries/'))).toHaveLength(1);
    expect(sink.dropped.some((f) => f.includes('truth'))).toBe(false);
  });
});

describe('delivery over a WebSocket', () => {
  it('streams every line, in order, with its simulated time, to a client on 127.0.0.1', async () => {
    const clock = { now: 0 };
    const ws = await WebSocketSink.listen(0, clock);
    const client = new WebSocket(`ws://127.0.0.1:${ws.port}`);
    const got: Array<{ time: string; path: string; line: string }> = [];
    const ended = new Promise<void>((resolve) => {
      client.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.end) resolve();
        else got.push(m);
      });
    });
    await ws.firstClient();
    await replayLog(log, ws, { pacer: new WallPacer(Infinity), backlog: () => ws.backlog(), clock });
    await ended;
    client.close();
    for (const p of full.paths()) expect(got.filter((m) => m.path === p).map((m) => m.line), p).toEqual([...full.lines(p)]);
    for (let i = 1; i < got.length; i++) expect(got[i].time >= got[i - 1].time).toBe(true);
  });
});
