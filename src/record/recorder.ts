/**
 * `run --record`: a FeedSink in front of the run's own sink that writes
 * every line it passes on into the event log as well, with the simulated
 * time it was written at. A JSONL feed with a serialiser in feeds.ts is
 * stored as facts (values.ts); any other line as text. The first record of
 * each shape is decoded again at once and rendered with the feed's
 * serialiser: a shape that would not render back to the same bytes is kept
 * as text from then on, so a log always replays byte for byte.
 */
import type { FeedKind, FeedSink, FeedWriter } from '../feeds/sink.js';
import { toolInfo } from '../feeds/manifest.js';
import { resolvedText } from '../world.js';
import type { Scenario } from '../scenario/types.js';
import { createHash } from 'node:crypto';
import { FORMAT, LogWriter, type FieldsMsg, type LineMsg } from './log.js';
import { FactDecoder, FactEncoder, Tables, compileShape, type Facts } from './values.js';
import { SERIALISERS } from './feeds.js';

export interface RecordingOptions {
  scenario: Scenario;
  /** The scenario file's bytes, hashed into the header as the manifest hashes them. */
  sourceText?: string | Buffer;
  /** The simulated time now, ms from the epoch. */
  clock: () => number;
}

/** A shape's number when it does not render back: its records go as text. */
const TEXT_ONLY = -1;
/** Value slots per file for the intern cache: more keys than any record has. */
const SLOTS = 256;

interface KnownShape {
  keys: string[];
  kinds: number[];
  /** Its number in the log, or TEXT_ONLY. */
  n: number;
}

class RecordingWriter implements FeedWriter {
  constructor(
    private readonly inner: FeedWriter,
    private readonly rec: RecordingSink,
    readonly file: number,
    readonly serialise: ((r: unknown) => string) | undefined,
  ) {}

  write(line: string): void {
    this.inner.write(line);
    this.rec.record(this, line);
  }

  get records(): number {
    return this.inner.records;
  }

  get bytes(): number {
    return this.inner.bytes;
  }
}

export class RecordingSink implements FeedSink {
  private readonly log: LogWriter;
  private readonly writers: RecordingWriter[] = [];
  private readonly paths: string[] = [];
  private readonly lines: number[] = [];
  private readonly tables = new Tables();
  private readonly enc: FactEncoder;
  /** Per file, the shapes seen: a file has a handful, so a look along them beats hashing a key. */
  private readonly shapes: KnownShape[][] = [];
  private shapeCount = 0;
  private readonly epoch: number;
  private lastT = 0;
  private closed = false;
  // Reused for every record: the log's encoder reads them before the next.
  private readonly facts: Facts = { ints: [], blobs: [], texts: [] };
  private readonly keys: string[] = [];
  private readonly kinds: number[] = [];
  private readonly lineMsg: LineMsg = { file: 0, dt: 0, text: '' };
  private readonly fieldsMsg: FieldsMsg = { file: 0, dt: 0, shape: 0, ints: [], blobs: [], texts: [] };

  constructor(
    private readonly inner: FeedSink,
    readonly file: string,
    private readonly opts: RecordingOptions,
  ) {
    const s = opts.scenario;
    this.epoch = s.epoch;
    this.log = new LogWriter(file);
    this.enc = new FactEncoder(this.tables, (text) => this.log.write({ intern: { text } }));
    const tool = toolInfo();
    this.log.write({
      header: {
        format: FORMAT,
        tool: tool.name,
        toolVersion: tool.version,
        scenarioJson: resolvedText(s),
        scenarioSource: s.source,
        sourceSha256: opts.sourceText === undefined ? '' : createHash('sha256').update(opts.sourceText).digest('hex'),
        seed: s.seed,
        epochMs: s.epoch,
        durationMs: s.duration,
      },
    });
  }

  open(relPath: string, kind: FeedKind): FeedWriter {
    const inner = this.inner.open(relPath, kind);
    const file = this.writers.length;
    this.log.write({ open: { file, path: relPath, kind } });
    const w = new RecordingWriter(inner, this, file, kind === 'jsonl' ? SERIALISERS.get(relPath) : undefined);
    this.writers.push(w);
    this.shapes.push([]);
    this.paths.push(relPath);
    this.lines.push(0);
    return w;
  }

  /** One line of `w`, at the simulated time now. */
  record(w: RecordingWriter, line: string): void {
    const t = this.opts.clock();
    const dt = t - this.lastT;
    this.lastT = t;
    this.lines[w.file]++;
    if (w.serialise !== undefined && this.fields(w, line, dt, t)) return;
    const m = this.lineMsg;
    m.file = w.file;
    m.dt = dt;
    m.text = line;
    this.log.write({ line: m });
  }

  /** Writes `line` as facts; false when it must go as text. */
  private fields(w: RecordingWriter, line: string, dt: number, t: number): boolean {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return false;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
    const f = this.facts;
    f.ints.length = 0;
    f.blobs.length = 0;
    f.texts.length = 0;
    const keys = this.keys;
    const kinds = this.kinds;
    keys.length = 0;
    kinds.length = 0;
    const timeMs = this.epoch + t;
    this.enc.beginRecord();
    const base = w.file * SLOTS;
    let i = 0;
    for (const k in obj) {
      keys.push(k);
      kinds.push(this.enc.encode((obj as Record<string, unknown>)[k], w.file, base + (i++ % SLOTS), timeMs, f));
    }
    const shape = this.shapeOf(w, line, timeMs);
    if (shape === TEXT_ONLY) {
      this.enc.undo();
      return false;
    }
    const m = this.fieldsMsg;
    m.file = w.file;
    m.dt = dt;
    m.shape = shape;
    m.ints = f.ints;
    m.blobs = f.blobs;
    m.texts = f.texts;
    this.log.write({ fields: m });
    return true;
  }

  /** The number of the shape of the record just encoded (keys and kinds), registering it when new. */
  private shapeOf(w: RecordingWriter, line: string, timeMs: number): number {
    const keys = this.keys;
    const kinds = this.kinds;
    const known = this.shapes[w.file];
    for (let s = 0; s < known.length; s++) {
      const k = known[s];
      if (k.keys.length !== keys.length) continue;
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = k.kinds[i] === kinds[i] && k.keys[i] === keys[i];
      if (same) return k.n;
    }
    const shape: KnownShape = { keys: [...keys], kinds: [...kinds], n: TEXT_ONLY };
    known.push(shape);
    // Checked once: the first record must render back to its own line, else the shape goes as text.
    let renders = false;
    try {
      renders = w.serialise!(compileShape(shape.keys, shape.kinds)(new FactDecoder(this.tables, this.enc.serialsBefore()), this.facts, w.file, timeMs)) === line;
    } catch {
      renders = false;
    }
    if (!renders) return TEXT_ONLY;
    const keyIds = shape.keys.map((k) => this.enc.intern(k));
    if (keyIds.some((i) => i < 0)) return TEXT_ONLY;
    this.log.write({ shape: { keys: keyIds, kinds: shape.kinds } });
    shape.n = this.shapeCount++;
    return shape.n;
  }

  /** Bytes of the log so far. */
  get logBytes(): number {
    return this.log.bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inner.close();
    const records = this.log.records - 1;
    const sha256 = this.log.digest();
    this.log.write({ trailer: { paths: this.paths, lines: this.lines, records, sha256, endMs: this.opts.clock() } });
    this.log.close();
  }
}
