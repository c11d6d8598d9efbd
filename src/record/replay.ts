/**
 * `dcc-twin replay`: the feeds again from the log alone, through any
 * FeedSink (files under a run directory, a delivery directory, a WebSocket,
 * a live server's own sink), in the order and at the simulated times the run
 * wrote them. Structured records are rendered from their facts (render.ts).
 * A window (from, to) keeps the lines written at simulated times
 * from <= t < to, and each CSV file's header line. Listeners (delivery) are
 * woken at the simulated times they ask for; a pacer ties simulated time to
 * the wall clock. The log is checked as it is read: the first bad record
 * stops the replay with a BadLog naming its byte offset, after the records
 * before it have gone to the sink.
 */
import type { FeedKind, FeedSink, FeedWriter, WrittenFile } from '../feeds/sink.js';
import type { ManifestInfo } from '../feeds/manifest.js';
import { BadLog, LogReader, type HeaderMsg } from './log.js';
import { END, FIELDS, LogScan, OPENED } from './scan.js';

/** Something woken as simulated time passes (a delivery directory drops its files). */
export interface ReplayListener {
  /** The next simulated time (Unix ms) it must be woken at; Infinity for none. */
  nextDue(): number;
  /** Simulated time is now `epochMs`: every record before it has been written. */
  advance(epochMs: number): void;
  /** The replay has ended at `epochMs` (the run's end, or the window's). */
  finish(epochMs: number): void;
}

/** Ties simulated time to the wall clock (delivery.ts). */
export interface Pacer {
  /** Resolves when simulated time `epochMs` is due. */
  until(epochMs: number): Promise<void> | null;
}

export interface ReplayOptions {
  /** Window, ms from the epoch: lines written at from <= t < to. */
  fromMs?: number;
  toMs?: number;
  listeners?: ReplayListener[];
  pacer?: Pacer;
  /** A promise to wait on when a consumer is behind (a WebSocket's send buffer), else null. */
  backlog?: () => Promise<void> | null;
  /** Told the simulated time (Unix ms) of each record before it is written. */
  clock?: { now: number };
}

export interface ReplayResult {
  header: HeaderMsg;
  /** Scenario as resolved in the run (JSON). */
  scenario: { name: string; seed: number; epoch: number; duration: number; [k: string]: unknown };
  /** Lines written per path, in the order opened. */
  files: Array<{ path: string; kind: FeedKind; lines: number }>;
  /** Simulated end, ms from the epoch. */
  endMs: number;
  /** The first bad record, when the log has one; the records before it were replayed. */
  bad: BadLog | null;
  complete: boolean;
}

/** The header record alone: what a log is of, without replaying it. */
export function readHeader(file: string): HeaderMsg {
  const r = new LogReader(file, false);
  try {
    const m = r.read();
    if (m === null || m.header == null) throw new BadLog(file, r.offset, 'the first record is no header');
    return m.header;
  } finally {
    r.close();
  }
}

/** Bytes a structured line is rendered into before it becomes the sink's string; grown for a longer one. */
const SCRATCH = 64 * 1024;

export async function replayLog(file: string, sink: FeedSink, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const writers: Array<{ w: FeedWriter; written: number }> = [];
  const listeners = opts.listeners ?? [];
  const pacer = opts.pacer;
  let scan: LogScan | null = null;
  let bad: BadLog | null = null;
  let complete = false;
  let endMs = 0;
  const from = opts.fromMs ?? -Infinity;
  let epoch = 0;
  let scratch = Buffer.allocUnsafe(SCRATCH);

  /** Wakes listeners due up to `at` (Unix ms), pacing each wake, then paces `at` itself. */
  const reach = async (at: number): Promise<void> => {
    for (;;) {
      let due = Infinity;
      for (const l of listeners) due = Math.min(due, l.nextDue());
      if (due > at) break;
      const p = pacer?.until(due);
      if (p) await p;
      for (const l of listeners) if (l.nextDue() <= due) l.advance(due);
    }
    const p = pacer?.until(at);
    if (p) await p;
  };

  try {
    scan = new LogScan(file);
    epoch = scan.header.epochMs;
    const s = scan;
    for (let k = s.next(); k !== END; k = s.next()) {
      if (k === OPENED) {
        const f = s.files[s.files.length - 1];
        writers.push({ w: sink.open(f.path, f.kind), written: 0 });
        continue;
      }
      const t = s.t;
      const o = writers[s.hot.file];
      const wanted = s.inWindow(opts.fromMs, opts.toMs);
      let text = '';
      if (k === FIELDS) {
        // Rendered even outside the window: ids are stored as the change from the previous one.
        const room = s.boundOf();
        if (room > scratch.length) scratch = Buffer.allocUnsafe(room);
        const n = s.render(scratch, 0);
        if (wanted) text = scratch.toString('utf8', 0, n);
      } else if (wanted) {
        text = s.lineText();
      }
      if (wanted) {
        if (t >= from) {
          // Awaited only when something is due: an await per record would cost more than the rest.
          const now = epoch + t;
          let due = Infinity;
          for (let i = 0; i < listeners.length; i++) due = Math.min(due, listeners[i].nextDue());
          if (due <= now) await reach(now);
          const p = pacer?.until(now) ?? opts.backlog?.();
          if (p) await p;
        }
        if (opts.clock) opts.clock.now = epoch + t;
        o.w.write(text);
        o.written++;
      }
      // Past the window, the rest of the log is still read: to check it.
    }
    complete = true;
    endMs = s.endMs;
  } catch (e) {
    if (!(e instanceof BadLog) || scan === null) throw e;
    bad = e;
    endMs = scan.t;
  } finally {
    scan?.close();
  }
  const end = Math.min(endMs, opts.toMs ?? Infinity);
  await reach(epoch + end);
  for (const l of listeners) l.finish(epoch + end);
  await sink.close();
  const header = scan.header;
  return {
    header,
    scenario: JSON.parse(header.scenarioJson),
    files: scan.files.map((f, i) => ({ path: f.path, kind: f.kind, lines: writers[i].written })),
    endMs: end,
    bad,
    complete,
  };
}

/** What manifest.json needs to be the recorded run's own: its scenario, source hash and tool as the log's header has them. */
export function replayManifest(r: ReplayResult, files: WrittenFile[]): ManifestInfo {
  return headerManifest(r.header, files);
}

/** The same from the log's header alone: all a manifest needs is there. */
export function headerManifest(header: HeaderMsg, files: WrittenFile[]): ManifestInfo {
  const s = JSON.parse(header.scenarioJson) as ReplayResult['scenario'];
  return {
    scenario: { name: s.name, source: header.scenarioSource, seed: s.seed, epoch: s.epoch, duration: s.duration },
    sourceSha256: header.sourceSha256 === '' ? null : header.sourceSha256,
    tool: { name: header.tool, version: header.toolVersion },
    files,
  };
}
