/**
 * `replay --out` on its own: the files of a run directory from a log, on as
 * many threads as there are cores (up to four). Each thread reads the whole
 * log (every record's CRC-32, the tables, the shapes, the time) but renders
 * only its own files, straight into their bytes, and writes and hashes them
 * itself: a file's lines depend only on the records before them, so files
 * are the one split that needs no hand-over between threads. Files go to
 * threads by their share of the log's bytes (a first skim of it), the
 * largest first to the least loaded.
 *
 * A bad record is found by every thread at the same place (its framing,
 * CRC, tables or trailer) or only by the thread that renders it (a record
 * that does not fit its shape); when the threads disagree, all are run
 * again told to stop at the first bad record, so that every file holds
 * exactly the records before it (what --salvage keeps).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OutputError, checkRelPath, type FeedKind, type WrittenFile } from '../feeds/sink.js';
import { HashedFile } from './hashed-file.js';
import { BadLog, LogReader, decodeHot, hotRecord } from './log.js';
import { segments } from './values.js';
import { END, FIELDS, LogScan, OPENED } from './scan.js';
import { readHeader, type ReplayResult } from './replay.js';

const OUT_BUFFER = 1 << 20;
const MAX_THREADS = 4;
/** Bytes of the log skimmed to weigh its files: enough to see each one's share. */
const SKIM_BYTES = 32 * 1024 * 1024;

/** One thread's part of a replay (plain data: it crosses to a worker). */
export interface FilesJob {
  log: string;
  dir: string;
  /** Thread of each file by number; files past its end (none of them in the skim), thread `rest`. */
  owners: number[];
  rest: number;
  thread: number;
  fromMs?: number;
  toMs?: number;
  /** Check the trailer's SHA-256: one thread does. */
  digest: boolean;
  stopAt?: { offset: number; problem: string };
}

export interface FilesPart {
  /** Every file of the log by number, with the lines this thread wrote of it (its own files only). */
  files: Array<{ path: string; kind: FeedKind; lines: number }>;
  written: WrittenFile[];
  complete: boolean;
  endMs: number;
  bad: { offset: number; problem: string } | null;
}

/** A file of the run directory, rendered into a buffer that is hashed and written when full. */
class FileOut extends HashedFile {
  records = 0;
  bytes = 0;

  constructor(
    readonly rel: string,
    readonly kind: FeedKind,
    file: string,
  ) {
    super(file, file, OUT_BUFFER);
  }

  /** The line just rendered up to `end` is kept: its newline. */
  keep(end: number): void {
    this.buf[end] = 10;
    this.bytes += end + 1 - this.pos;
    this.pos = end + 1;
    this.records++;
  }

  finish(): WrittenFile {
    const sha256 = this.close();
    return { path: this.rel, kind: this.kind, records: this.records, bytes: this.bytes, sha256 };
  }
}

/** Renders this thread's files of the log into `dir` (runs inline, or in a worker: files-thread.ts). */
export function renderFiles(job: FilesJob): FilesPart {
  const own = (file: number) => (job.owners[file] ?? job.rest) === job.thread;
  const scan = new LogScan(job.log, { owned: own, digest: job.digest, stopAt: job.stopAt });
  const outs: Array<FileOut | undefined> = [];
  let bad: BadLog | null = null;
  let complete = false;
  try {
    for (let k = scan.next(); k !== END; k = scan.next()) {
      if (k === OPENED) {
        const n = scan.files.length - 1;
        const f = scan.files[n];
        if (own(n)) outs[n] = new FileOut(f.path, f.kind, path.join(job.dir, checkRelPath(f.path)));
        continue;
      }
      const o = outs[scan.hot.file]!;
      const wanted = scan.inWindow(job.fromMs, job.toMs);
      if (k === FIELDS) {
        // Rendered even outside the window (ids are stored as the change from the previous one), then dropped.
        o.room(scan.boundOf() + 1);
        const end = scan.render(o.buf, o.pos);
        if (wanted) o.keep(end);
      } else if (wanted) {
        const h = scan.hot;
        o.room(h.textEnd - h.textStart + 1);
        o.keep(o.pos + h.src.copy(o.buf, o.pos, h.textStart, h.textEnd));
      }
    }
    complete = true;
  } catch (e) {
    if (!(e instanceof BadLog)) throw e;
    bad = e;
  } finally {
    scan.close();
  }
  const written = outs.filter((o): o is FileOut => o !== undefined).map((o) => o.finish());
  return {
    files: scan.files.map((f, i) => ({ path: f.path, kind: f.kind, lines: outs[i]?.records ?? 0 })),
    written,
    complete,
    endMs: complete ? scan.endMs : scan.t,
    bad: bad === null ? null : { offset: bad.offset, problem: bad.problem },
  };
}

/**
 * Each file's weight in the first SKIM_BYTES of the log (framing only, no
 * check): the bytes its lines will have, near enough, as its records' bytes
 * and their shapes' keys.
 */
function skim(log: string): number[] {
  const weights: number[] = [];
  const strings: string[] = [];
  const fixed: number[] = [];
  const r = new LogReader(log, false);
  const h = hotRecord();
  try {
    while (r.next < SKIM_BYTES && r.readFrame(false)) {
      if (decodeHot(r.buffer, r.bodyStart, r.bodyEnd, h, 3)) {
        weights[h.file] = (weights[h.file] ?? 0) + r.bodyEnd - r.bodyStart + (h.kind === FIELDS ? (fixed[h.shape] ?? 0) : 0);
        continue;
      }
      const m = r.decode();
      if (m.intern != null) strings.push(m.intern.text);
      else if (m.shape != null) fixed.push(segments(m.shape.keys.map((k) => strings[k] ?? ''), m.shape.kinds).reduce((a, seg) => a + seg.length, 0));
    }
  } catch (e) {
    // A bad record ends the skim; the replay names it.
    if (!(e instanceof BadLog)) throw e;
  } finally {
    r.close();
  }
  return weights;
}

/** Each file's thread: the heaviest first, to the least loaded; and the least loaded, which checks the log's SHA-256 too. */
function assign(weights: number[], threads: number): { owners: number[]; lightest: number } {
  const load = new Array<number>(threads).fill(0);
  const owners = new Array<number>(weights.length).fill(0);
  const order = Array.from(weights, (w, i) => [w ?? 0, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [w, i] of order) {
    const t = load.indexOf(Math.min(...load));
    owners[i] = t;
    load[t] += w;
  }
  return { owners, lightest: load.indexOf(Math.min(...load)) };
}

/** The worker's script beside this module: absent when run from the TypeScript sources (tests), which then use one thread. */
const THREAD_SCRIPT = new URL('./files-thread.js', import.meta.url);

function inWorker(job: FilesJob): Promise<FilesPart> {
  return new Promise((resolve, reject) => {
    const w = new Worker(THREAD_SCRIPT, { workerData: job });
    w.once('message', (m: { part?: FilesPart; error?: { name: string; message: string } }) => {
      if (m.part) resolve(m.part);
      else reject(m.error!.name === 'OutputError' ? new OutputError(m.error!.message) : new Error(m.error!.message));
    });
    w.once('error', reject);
  });
}

export interface FilesOptions {
  fromMs?: number;
  toMs?: number;
  /** Threads to use (default: the cores, up to four). */
  threads?: number;
  /** Keep the records before a bad one (--salvage): the threads must then agree where to stop. */
  salvage?: boolean;
}

/** Replays the log into the files of `dir` (made already, as prepareRunDir makes it); what the manifest needs comes back with it. */
export async function replayFiles(log: string, dir: string, opts: FilesOptions = {}): Promise<ReplayResult & { written: WrittenFile[] }> {
  const header = readHeader(log);
  let threads = fs.existsSync(fileURLToPath(THREAD_SCRIPT)) ? Math.min(opts.threads ?? os.availableParallelism(), MAX_THREADS) : 1;
  let owners: number[] = [];
  let lightest = 0;
  if (threads > 1) {
    const weights = skim(log);
    threads = Math.max(1, Math.min(threads, weights.filter((w) => w > 0).length));
    ({ owners, lightest } = assign(weights, threads));
  }
  const run = async (stopAt?: { offset: number; problem: string }): Promise<FilesPart[]> => {
    const jobs = Array.from({ length: threads }, (_, thread): FilesJob => ({ log, dir, owners, rest: lightest, thread, fromMs: opts.fromMs, toMs: opts.toMs, digest: thread === lightest, stopAt }));
    const others = jobs.slice(1).map(inWorker);
    // Kept from rejecting unseen while this thread renders its own part.
    others.forEach((p) => p.catch(() => {}));
    const first = renderFiles(jobs[0]);
    return [first, ...(await Promise.all(others))];
  };
  let parts = await run();
  const bads = parts.map((p) => p.bad);
  const firstBad = bads.reduce((a, b) => (b !== null && (a === null || b.offset < a.offset) ? b : a), null);
  if (opts.salvage && firstBad !== null && bads.some((b) => b === null || b.offset !== firstBad.offset)) parts = await run(firstBad);
  const part0 = parts[0];
  const files = part0.files.map((f, i) => ({ ...f, lines: parts[owners[i] ?? lightest].files[i].lines }));
  const complete = parts.every((p) => p.complete);
  return {
    header,
    scenario: JSON.parse(header.scenarioJson),
    files,
    endMs: Math.min(part0.endMs, opts.toMs ?? Infinity),
    bad: firstBad === null ? null : new BadLog(log, firstBad.offset, firstBad.problem),
    complete,
    written: parts.flatMap((p) => p.written).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}
