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
import { resolvedText } from '../twin.js';
import type { Scenario } from '../scenario/types.js';
import { createHash } from 'node:crypto';
import { FORMAT, LogWriter, type FieldsMsg, type LineMsg } from './log.js';
import { FactDecoder, FactEncoder, Tables, type Facts } from './values.js';
import { SERIALISERS } from './feeds.js';

export interface RecordingOptions {
  scenario: Scenario;
  /** The scenario file's bytes, hashed into the header as the manifest hashes them. */
  sourceText?: string | Buffer;
  /** The simulated time now, ms from the epoch. */
  clock: () => number;
}

/** A shape's entry: its number in the log, or TEXT_ONLY when it does not render back. */
const TEXT_ONLY = -1;

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
  private readonly shapes = new Map<string, number>();
  private readonly shapeList: Array<{ keys: string[]; kinds: number[] }> = [];
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
    const obj = JSON.parse(line) as unknown;
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
    const undo = this.enc.beginRecord();
    let shapeKey = '';
    for (const k in obj) {
      const kind = this.enc.encode((obj as Record<string, unknown>)[k], w.file, timeMs, f);
      keys.push(k);
      kinds.push(kind);
      shapeKey += k + '\u0002' + kind + '\u0003';
    }
    let shape = this.shapes.get(shapeKey);
    if (shape === undefined) {
      shape = this.newShape(w, shapeKey, line, timeMs, undo);
    }
    if (shape === TEXT_ONLY) {
      this.enc.undo(undo);
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

  /** Registers a shape after checking that its first record renders back to `line`. */
  private newShape(w: RecordingWriter, shapeKey: string, line: string, timeMs: number, undo: Map<number, number>): number {
    const keys = [...this.keys];
    const kinds = [...this.kinds];
    const dec = new FactDecoder(this.tables, this.enc.serialsBefore(undo));
    let same = false;
    try {
      same = w.serialise!(decodeObject(dec, keys, kinds, this.facts, w.file, timeMs)) === line;
    } catch {
      same = false;
    }
    if (!same) {
      this.shapes.set(shapeKey, TEXT_ONLY);
      return TEXT_ONLY;
    }
    const n = this.shapeList.length;
    const keyIds = keys.map((k) => this.enc.intern(k));
    if (keyIds.some((i) => i < 0)) {
      this.shapes.set(shapeKey, TEXT_ONLY);
      return TEXT_ONLY;
    }
    this.log.write({ shape: { keys: keyIds, kinds } });
    this.shapeList.push({ keys, kinds });
    this.shapes.set(shapeKey, n);
    return n;
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

/** The object a Fields record holds, keys in their order (the serialiser's input). */
export function decodeObject(dec: FactDecoder, keys: readonly string[], kinds: readonly number[], f: Facts, file: number, timeMs: number): Record<string, unknown> {
  dec.begin();
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) obj[keys[i]] = dec.next(kinds[i], f, file, timeMs);
  if (!dec.done(f)) throw new RangeError('more values than its shape has keys');
  return obj;
}
