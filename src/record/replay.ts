/**
 * `dcc-twin replay`: the feeds again from the log alone, through any
 * FeedSink (files under a run directory, a delivery directory, a WebSocket,
 * a live server's own sink), in the order and at the simulated times the run
 * wrote them. Structured records are rendered by the feed's own serialiser
 * (feeds.ts). A window (from, to) keeps the lines written at simulated times
 * from <= t < to, and each CSV file's header line. Listeners (delivery) are
 * woken at the simulated times they ask for; a pacer ties simulated time to
 * the wall clock. The log is checked as it is read: the first bad record
 * stops the replay with a BadLog naming its byte offset, after the records
 * before it have gone to the sink.
 */
import type { FeedKind, FeedSink, FeedWriter, WrittenFile } from '../feeds/sink.js';
import type { ManifestInfo } from '../feeds/manifest.js';
import { BadLog, FORMAT, LogReader, decodeHot, hotRecord, type HeaderMsg } from './log.js';
import { FactDecoder, KIND_COUNT, Tables, compileShape, type ShapeDecoder } from './values.js';
import { SERIALISERS } from './feeds.js';

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

interface OpenFile {
  path: string;
  kind: FeedKind;
  w: FeedWriter;
  serialise: ((r: unknown) => string) | undefined;
  lines: number;
  written: number;
}

const KINDS: readonly FeedKind[] = ['jsonl', 'csv', 'ndxml'];

/** The header record alone: what a log is of, without replaying it. */
export function readHeader(file: string): HeaderMsg {
  const r = new LogReader(file);
  try {
    const m = r.read();
    if (m === null || m.header == null) throw new BadLog(file, r.offset, 'the first record is no header');
    return m.header;
  } finally {
    r.close();
  }
}

export async function replayLog(file: string, sink: FeedSink, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const r = new LogReader(file);
  const files: OpenFile[] = [];
  const tables = new Tables();
  const dec = new FactDecoder(tables);
  const shapes: ShapeDecoder[] = [];
  const listeners = opts.listeners ?? [];
  const pacer = opts.pacer;
  let header: HeaderMsg | null = null;
  let t = 0;
  let records = 0;
  let bad: BadLog | null = null;
  let complete = false;
  let endMs = 0;
  const from = opts.fromMs ?? -Infinity;
  const to = opts.toMs ?? Infinity;
  let epoch = 0;

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
    const first = r.read();
    if (first === null || first.header == null) throw new BadLog(file, r.offset, 'the first record is no header');
    header = first.header;
    if (header.format !== FORMAT) throw new BadLog(file, r.offset, `log format ${header.format}; this version reads format ${FORMAT}`);
    epoch = header.epochMs;
    const hot = hotRecord();
    // The record being read is the one named: its offset stays until the next is framed.
    const fail = (problem: string) => new BadLog(file, r.offset, problem);
    while (r.readFrame()) {
      if (decodeHot(r.buffer, r.bodyStart, r.bodyEnd, hot)) {
        const f = files[hot.file];
        if (f === undefined) throw fail(`a record of file ${hot.file}, which was never opened`);
        t += hot.dt;
        records++;
        f.lines++;
        // A CSV file's first line is its header: every window has it.
        const wanted = (t >= from && t < to) || (f.kind === 'csv' && f.lines === 1);
        let text = hot.text;
        if (hot.kind === 6) {
          const s = shapes[hot.shape];
          if (s === undefined || f.serialise === undefined) throw fail(`a record of shape ${hot.shape}, which ${s === undefined ? 'was never written' : 'its file cannot render'}`);
          // Decoded even outside the window: ids are stored as the change from the previous one.
          let obj: Record<string, unknown>;
          try {
            obj = s(dec, hot, hot.file, epoch + t);
          } catch (e) {
            throw fail(`a record that does not fit its shape (${(e as Error).message})`);
          }
          if (wanted) text = f.serialise(obj);
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
          f.w.write(text);
          f.written++;
        }
        // Past the window, the rest of the log is still read: to check it.
        continue;
      }
      const m = r.decode();
      records++;
      if (m.open != null) {
        const o = m.open;
        if (o.file !== files.length) throw fail(`file ${o.file} opened where file ${files.length} was expected`);
        if (!KINDS.includes(o.kind as FeedKind)) throw fail(`file ${o.path} of unknown kind ${JSON.stringify(o.kind)}`);
        const kind = o.kind as FeedKind;
        files.push({ path: o.path, kind, w: sink.open(o.path, kind), serialise: kind === 'jsonl' ? SERIALISERS.get(o.path) : undefined, lines: 0, written: 0 });
      } else if (m.intern != null) {
        tables.strings.push(m.intern.text);
      } else if (m.shape != null) {
        const { keys, kinds } = m.shape;
        if (keys.length !== kinds.length || keys.some((k) => tables.strings[k] === undefined) || kinds.some((k) => k >= KIND_COUNT)) {
          throw fail('a shape that names unknown strings or kinds');
        }
        shapes.push(compileShape(keys.map((k) => tables.strings[k]), kinds));
      } else if (m.trailer != null) {
        const tr = m.trailer;
        const digest = r.digestBefore();
        if (tr.sha256 !== digest) throw fail('the trailer\'s SHA-256 does not match the records before it');
        if (tr.records !== records - 1) throw fail(`the trailer counts ${tr.records} records, the log has ${records - 1}`);
        const wrong = files.findIndex((f, i) => tr.lines[i] !== f.lines || tr.paths[i] !== f.path);
        if (wrong >= 0 || tr.paths.length !== files.length) throw fail(`the trailer's count of lines for ${files[Math.max(0, wrong)]?.path ?? 'a file'} does not match the log`);
        endMs = tr.endMs;
        if (r.read() !== null) throw new BadLog(file, r.offset, 'a record after the trailer');
        complete = true;
        break;
      } else if (m.header != null) {
        throw fail('a second header');
      } else {
        throw fail('a record of no kind this version knows');
      }
    }
    if (!complete) throw new BadLog(file, r.next, `the log ends without its trailer (cut short after ${records} records)`);
  } catch (e) {
    if (!(e instanceof BadLog) || header === null) throw e;
    bad = e;
    endMs = t;
  } finally {
    r.close();
  }
  const end = Math.min(endMs, opts.toMs ?? Infinity);
  await reach(epoch + end);
  for (const l of listeners) l.finish(epoch + end);
  await sink.close();
  return {
    header: header!,
    scenario: JSON.parse(header!.scenarioJson),
    files: files.map((f) => ({ path: f.path, kind: f.kind, lines: f.written })),
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
