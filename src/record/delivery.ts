/**
 * Replay into a pipeline under test, as the TOC receives the feeds:
 *
 * - DirectorySink drops one file per feed and period into a directory when
 *   the period ends in simulated time (15 minutes or a day, feeds.ts), each
 *   written under a dot-name and renamed, so that a poller never sees half a
 *   file. Periods are whole UTC quarter hours or days; a period's file holds
 *   the lines written in it (a CSV file's header line first in each).
 * - WebSocketSink streams each line as it is written.
 * - WallPacer ties simulated time to the wall clock (`--speed`).
 *
 * Both sinks are FeedSinks, so replay knows nothing of where its lines go.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { OutputError, checkRelPath, reason, type FeedKind, type FeedSink, type FeedWriter } from '../feeds/sink.js';
import { formatTimestamp } from '../dcc/time.js';
import type { Pacer, ReplayListener } from './replay.js';
import { cadenceOf } from './feeds.js';

/** `YYYYMMDDHHMMSS` of a period's start: the delivered file's name. */
function periodName(epochMs: number): string {
  return formatTimestamp(epochMs).slice(0, 14);
}

/** Bytes a period's file gathers before they go to its partial file. */
const CHUNK = 1 << 20;

/** One feed's files: lines go to the period's partial file as they come; the period's end renames it. */
class PeriodWriter implements FeedWriter {
  records = 0;
  bytes = 0;
  private header: string | null = null;
  private pending = '';
  private fd = -1;
  /** Lines in the period being filled. */
  inPeriod = 0;
  /** Start of the period being filled (Unix ms); Infinity when the feed is not delivered. */
  start: number;

  constructor(
    private readonly sink: DirectorySink,
    readonly rel: string,
    readonly kind: FeedKind,
    readonly cadence: number,
    from: number,
  ) {
    this.start = cadence === Infinity ? Infinity : Math.floor(from / cadence) * cadence;
  }

  write(line: string): void {
    this.records++;
    this.bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (this.start === Infinity) return;
    if (this.kind === 'csv' && this.header === null) {
      this.header = line;
      return;
    }
    this.inPeriod++;
    this.pending += line + '\n';
    if (this.pending.length > CHUNK) this.flush();
  }

  private target(): { file: string; tmp: string; name: string } {
    const ext = path.posix.extname(this.rel);
    const name = `${this.rel.slice(0, this.rel.length - ext.length)}/${periodName(this.start)}${ext}`;
    const file = path.join(this.sink.dir, name);
    return { file, tmp: path.join(path.dirname(file), `.${path.basename(file)}.partial`), name };
  }

  private flush(): void {
    const { file, tmp } = this.target();
    try {
      if (this.fd < 0) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        this.fd = fs.openSync(tmp, 'w');
        if (this.header !== null) fs.writeSync(this.fd, this.header + '\n');
      }
      if (this.pending !== '') fs.writeSync(this.fd, this.pending);
    } catch (err) {
      throw new OutputError(`cannot deliver ${file}: ${reason(err)}`);
    }
    this.pending = '';
  }

  /** Renames the period's file into place and starts the next period (none when `end` cuts this one short). */
  drop(end: number): string {
    this.flush();
    const { file, tmp, name } = this.target();
    try {
      fs.closeSync(this.fd);
      fs.renameSync(tmp, file);
    } catch (err) {
      throw new OutputError(`cannot deliver ${file}: ${reason(err)}`);
    }
    this.fd = -1;
    this.inPeriod = 0;
    this.start = end >= this.start + this.cadence ? this.start + this.cadence : Infinity;
    return name;
  }
}

/** The delivered files' directory: `<dir>/<feed path without extension>/<period start>.<ext>`. */
export class DirectorySink implements FeedSink, ReplayListener {
  private readonly writers: PeriodWriter[] = [];
  /** Files dropped, in order: what a poller should see. */
  readonly dropped: string[] = [];

  /** `fromMs`: Unix ms where the replay starts (the first period is the one holding it). */
  constructor(
    readonly dir: string,
    private readonly fromMs: number,
  ) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new OutputError(`cannot create the delivery directory ${dir}: ${reason(err)}`);
    }
  }

  open(relPath: string, kind: FeedKind): FeedWriter {
    const rel = checkRelPath(relPath);
    const cadence = cadenceOf(rel);
    const w = new PeriodWriter(this, rel, kind, cadence === 0 ? Infinity : cadence, this.fromMs);
    this.writers.push(w);
    return w;
  }

  nextDue(): number {
    let due = Infinity;
    for (const w of this.writers) due = Math.min(due, w.start + w.cadence);
    return due;
  }

  advance(epochMs: number): void {
    // Period by period, in time order across feeds (then the order they were opened).
    for (let due = this.nextDue(); due <= epochMs; due = this.nextDue()) {
      for (const w of this.writers) if (w.start + w.cadence === due) this.dropped.push(w.drop(due));
    }
  }

  finish(epochMs: number): void {
    this.advance(epochMs);
    // The periods the replay ended in are delivered at its end, as far as they got (lines written
    // at the very end, such as the last throughput rows, open a period of their own).
    for (const w of this.writers) if (w.start < epochMs || (w.start !== Infinity && w.inPeriod > 0)) this.dropped.push(w.drop(epochMs));
  }

  async close(): Promise<void> {}
}

/** Per connection, bytes queued before replay waits for the client to catch up. */
const MAX_BUFFERED = 8 * 1024 * 1024;

/**
 * Lines as WebSocket text messages, one JSON object each:
 * `{"time":"<simulated time>","path":"feeds/dsp-ast.jsonl","line":"..."}`,
 * and `{"end":true}` when the replay ends. Binds 127.0.0.1 only.
 */
export class WebSocketSink implements FeedSink {
  private server!: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private closed = false;

  private constructor(private readonly clock: { now: number }) {}

  /** Listens on 127.0.0.1:port (0: any free port; see `port`). */
  static async listen(port: number, clock: { now: number }): Promise<WebSocketSink> {
    const s = new WebSocketSink(clock);
    s.server = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      s.server.once('listening', resolve);
      s.server.once('error', (err) => reject(new OutputError(`cannot listen on 127.0.0.1:${port}: ${reason(err)}`)));
    });
    s.server.on('connection', (ws) => {
      s.clients.add(ws);
      ws.on('close', () => s.clients.delete(ws));
      ws.on('error', () => s.clients.delete(ws));
    });
    return s;
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  }

  /** Resolves once a client is connected: a replay streams nothing to nobody. */
  firstClient(): Promise<void> {
    if (this.clients.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.server.once('connection', () => resolve()));
  }

  open(relPath: string, _kind: FeedKind): FeedWriter {
    const sink = this;
    const rel = JSON.stringify(checkRelPath(relPath));
    const w = {
      records: 0,
      bytes: 0,
      write(line: string): void {
        w.records++;
        w.bytes += Buffer.byteLength(line, 'utf8') + 1;
        const msg = `{"time":"${formatTimestamp(sink.clock.now)}","path":${rel},"line":${JSON.stringify(line)}}`;
        for (const c of sink.clients) c.send(msg);
      },
    };
    return w;
  }

  /** A promise when a client is far behind (replay waits on it), else null. */
  backlog(): Promise<void> | null {
    for (const c of this.clients) {
      if (c.bufferedAmount > MAX_BUFFERED) return new Promise((resolve) => setTimeout(resolve, 5));
    }
    return null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.clients].map(
        (c) =>
          new Promise<void>((resolve) => {
            c.once('close', () => resolve());
            setTimeout(() => {
              c.terminate();
              resolve();
            }, 2000).unref();
            c.send('{"end":true}');
            c.close(1000, 'end of replay');
          }),
      ),
    );
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `speed` simulated seconds per wall second from the first time asked for; Infinity: as fast as it goes. */
export class WallPacer implements Pacer {
  private sim0 = NaN;
  private wall0 = 0;
  private sinceYield = 0;

  constructor(readonly speed: number) {}

  until(epochMs: number): Promise<void> | null {
    if (this.sim0 !== this.sim0) {
      this.sim0 = epochMs;
      this.wall0 = performance.now();
    }
    if (this.speed === Infinity) {
      // Now and then a turn of the event loop, so that sockets are served.
      if (++this.sinceYield < 10_000) return null;
      this.sinceYield = 0;
      return new Promise((resolve) => setImmediate(resolve));
    }
    const wait = this.wall0 + (epochMs - this.sim0) / this.speed - performance.now();
    if (wait < 1) {
      // Behind the wall clock: catch up, with a turn of the event loop now and then.
      if (++this.sinceYield < 1000) return null;
      this.sinceYield = 0;
      return new Promise((resolve) => setImmediate(resolve));
    }
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}
