/**
 * The live server's FeedSink: it keeps each slice's records per feed and
 * hands them on as batches (FeedBatch) when the run reaches the end of a
 * slice, so that the stream and the live metrics see whole slices, never a
 * call per record on the simulation's hot path. Put beside a FileSink with a
 * TeeSink to write the run directory as well.
 *
 * Any source of feed records can feed the same stream: a run of the twin, or
 * a recorded event log replayed through a FeedSink (src/record/), since both
 * leave through this interface and nothing downstream knows which it was.
 */
import { Subject } from 'rxjs';
import { MemoryWriter, checkRelPath, OutputError, type FeedKind, type FeedSink, type FeedWriter } from '../feeds/sink.js';
import type { FeedBatch } from './live-metrics.js';

export class LiveSink implements FeedSink {
  /** Every batch, in the order written within a feed; completes when the sink closes. */
  readonly batches = new Subject<FeedBatch>();
  private readonly writers: MemoryWriter[] = [];
  private closed = false;

  open(relPath: string, kind: FeedKind): FeedWriter {
    if (this.closed) throw new OutputError(`cannot open ${relPath}: the sink is closed`);
    const w = new MemoryWriter(checkRelPath(relPath), kind);
    this.writers.push(w);
    return w;
  }

  /** The kind of each feed opened so far, by path. */
  kinds(): Map<string, FeedKind> {
    return new Map(this.writers.map((w) => [w.path, w.kind]));
  }

  /** Hands on what was written since the last flush. */
  flush(): void {
    for (const w of this.writers) {
      if (w.lines.length === 0) continue;
      const lines = w.lines;
      w.lines = [];
      this.batches.next({ path: w.path, lines });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const w of this.writers) w.closed = true;
    this.batches.complete();
  }
}
