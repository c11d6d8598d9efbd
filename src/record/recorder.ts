/**
 * `run --record`: a FeedSink in front of the run's own sink that writes
 * every line it passes on into the event log as well, with the simulated
 * time it was written at. A JSONL line is stored as facts (values.ts), read
 * straight from its text; any other line as text. The first record of each
 * shape is rendered back at once (render.ts): a shape that would not give
 * the same bytes is kept as text from then on, so a log always replays
 * byte for byte.
 */
import { ForwardingWriter, type FeedKind, type FeedSink, type FeedWriter } from '../feeds/sink.js';
import { toolInfo } from '../feeds/manifest.js';
import { resolvedText } from '../world.js';
import type { Scenario } from '../scenario/types.js';
import { createHash } from 'node:crypto';
import { FORMAT, LogWriter } from './log.js';
import { FactEncoder, KIND_FALSE, KIND_TRUE, segments, shapePattern, type Facts } from './values.js';
import { Renderer, compileShape, hotFacts } from './render.js';

export interface RecordingOptions {
  scenario: Scenario;
  /** The scenario file's bytes, hashed into the header as the manifest hashes them. */
  sourceText?: string | Buffer;
  /** The simulated time now, ms from the epoch. */
  clock: () => number;
}

const NO_KEYS: readonly string[] = [];

function same(k: KnownShape, keys: readonly string[], kinds: readonly number[]): boolean {
  if (k.keys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (k.kinds[i] !== kinds[i] || k.keys[i] !== keys[i]) return false;
  return true;
}

/** A shape's number when it does not render back: its records go as text. */
const TEXT_ONLY = -1;
/** Value slots per file for the intern cache: more keys than any record has. */
const SLOTS = 256;

interface KnownShape {
  keys: string[];
  kinds: number[];
  /** What FactEncoder.match reads a line against: the shape's pattern, and the kinds that take facts. */
  pattern: RegExp | null;
  values: number[];
  /** Its number in the log, or TEXT_ONLY. */
  n: number;
}

class RecordingWriter extends ForwardingWriter {
  constructor(
    inner: FeedWriter,
    private readonly rec: RecordingSink,
    readonly file: number,
    readonly jsonl: boolean,
  ) {
    super(inner);
  }

  /** The shape of its last structured line: the next is most likely the same. */
  last: KnownShape | null = null;

  write(line: string): void {
    this.inner.write(line);
    this.rec.record(this, line);
  }
}

export class RecordingSink implements FeedSink {
  private readonly log: LogWriter;
  private readonly writers: RecordingWriter[] = [];
  private readonly paths: string[] = [];
  private readonly lines: number[] = [];
  private readonly enc: FactEncoder;
  /** The reader's side of the string table: a new shape's first record is rendered back with it. */
  private readonly check = new Renderer();
  /** Per file, the shapes seen: a file has a handful, so a look along them beats hashing a key. */
  private readonly shapes: KnownShape[][] = [];
  private shapeCount = 0;
  private readonly epoch: number;
  private lastT = 0;
  private closed = false;
  // Reused for every record: the log's writer reads it before the next.
  private readonly facts: Facts = { ints: [], blobs: [], texts: [] };

  constructor(
    private readonly inner: FeedSink,
    readonly file: string,
    private readonly opts: RecordingOptions,
  ) {
    const s = opts.scenario;
    this.epoch = s.epoch;
    this.log = new LogWriter(file);
    this.enc = new FactEncoder((text) => {
      this.log.write({ intern: { text } });
      this.check.add(text);
    });
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
    const w = new RecordingWriter(inner, this, file, kind === 'jsonl');
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
    if (w.jsonl && this.fields(w, line, dt, t)) return;
    this.log.writeLine(w.file, dt, line);
  }

  /** Writes `line` as facts; false when it must go as text. */
  private fields(w: RecordingWriter, line: string, dt: number, t: number): boolean {
    const timeMs = this.epoch + t;
    const f = this.facts;
    const enc = this.enc;
    const base = w.file * SLOTS;
    // Most lines are of the file's last shape, or another it has had: read against those first.
    let shape = w.last;
    if (shape !== null && !enc.match(line, w.file, base, timeMs, shape.pattern, shape.values, f)) {
      enc.undo();
      shape = null;
      for (const k of this.shapes[w.file]) {
        if (k === w.last || k.n === TEXT_ONLY) continue;
        if (enc.match(line, w.file, base, timeMs, k.pattern, k.values, f)) {
          shape = k;
          break;
        }
        enc.undo();
      }
    }
    if (shape === null) {
      if (!enc.encode(line, w.file, base, timeMs, w.last?.keys ?? NO_KEYS, f)) {
        enc.undo();
        return false;
      }
      shape = this.shapeOf(w, line, timeMs);
      if (shape.n === TEXT_ONLY) {
        enc.undo();
        return false;
      }
    }
    w.last = shape;
    this.log.writeFields(w.file, dt, shape.n, f);
    return true;
  }

  /** The shape of the line just encoded (keys and kinds), registered when new. */
  private shapeOf(w: RecordingWriter, line: string, timeMs: number): KnownShape {
    const keys = this.enc.keys;
    const kinds = this.enc.kinds;
    if (w.last !== null && same(w.last, keys, kinds)) return w.last;
    const known = this.shapes[w.file];
    for (const k of known) if (same(k, keys, kinds)) return k;
    const shape: KnownShape = { keys: [...keys], kinds: [...kinds], pattern: shapePattern(segments(keys, kinds), kinds), values: kinds.filter((k) => k !== KIND_TRUE && k !== KIND_FALSE), n: TEXT_ONLY };
    known.push(shape);
    // Checked once: the first record must render back to its own line, else the shape goes as text.
    if (!this.rendersBack(shape, line, w.file, timeMs)) return shape;
    const keyIds = shape.keys.map((k) => this.enc.intern(k));
    if (keyIds.some((i) => i < 0)) return shape;
    this.log.write({ shape: { keys: keyIds, kinds: shape.kinds } });
    shape.n = this.shapeCount++;
    return shape;
  }

  private rendersBack(shape: KnownShape, line: string, file: number, timeMs: number): boolean {
    const h = hotFacts(this.facts);
    const want = Buffer.from(line, 'utf8');
    try {
      const r = this.check;
      r.serials = this.enc.serialsBefore();
      const out = Buffer.alloc(want.length * 2 + 4096);
      const n = compileShape(shape.keys, shape.kinds).render(r, h, out, 0, timeMs, file);
      return out.subarray(0, n).equals(want);
    } catch {
      return false;
    }
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
