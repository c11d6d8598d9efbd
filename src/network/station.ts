/**
 * The queueing and availability pieces every component shares.
 *
 * A Station is a FIFO server with a throughput cap: the k-th message may
 * start no earlier than 1/capacity after the (k-1)-th. Latency (processing)
 * is added on top and overlaps between messages, as in a pipelined gateway.
 * Kept as arithmetic on two numbers instead of a queue of objects, so a storm
 * of a million messages costs nothing extra in memory; the queue's length is
 * still observable (backlog()).
 *
 * OutageWindows holds the scenario's known outage windows for a component,
 * sorted; queries are O(log n).
 */

export class Station {
  private nextFree = 0;
  private readonly spacing: number;
  /** Messages that had to wait for capacity. */
  queued = 0;
  /** Largest wait seen, ms. */
  maxWait = 0;

  constructor(capacityPerSecond: number) {
    this.spacing = capacityPerSecond > 0 ? 1000 / capacityPerSecond : 0;
  }

  /** Admit a message arriving at `t`; returns when its service starts. */
  admit(t: number): number {
    if (this.spacing === 0) return t;
    const free = t >= this.nextFree ? t : this.nextFree;
    this.nextFree = free + this.spacing;
    // The clock is whole milliseconds; the pacing itself keeps full precision.
    const start = Math.ceil(free);
    const wait = start - t;
    if (wait > 0) {
      this.queued++;
      if (wait > this.maxWait) this.maxWait = wait;
    }
    return start;
  }

  /** Messages waiting at time t (arrived, not yet started). */
  backlog(t: number): number {
    if (this.spacing === 0 || this.nextFree <= t) return 0;
    return Math.ceil((this.nextFree - t) / this.spacing) - 1;
  }
}

export class OutageWindows {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;

  constructor(windows: Array<{ start: number; end: number }>) {
    // Merge overlapping windows so "up again at" is one lookup.
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    const merged: Array<{ start: number; end: number }> = [];
    for (const w of sorted) {
      const last = merged[merged.length - 1];
      if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
      else merged.push({ ...w });
    }
    this.starts = Float64Array.from(merged.map((w) => w.start));
    this.ends = Float64Array.from(merged.map((w) => w.end));
  }

  get count(): number {
    return this.starts.length;
  }

  /** If t falls in an outage [start, end), the time it ends; otherwise -1. */
  downUntil(t: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && t < this.ends[i] ? this.ends[i] : -1;
  }

  /** Total downtime within [from, to). */
  downtime(from: number, to: number): number {
    let total = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const a = Math.max(from, this.starts[i]);
      const b = Math.min(to, this.ends[i]);
      if (b > a) total += b - a;
    }
    return total;
  }
}

export const DROPPED = -2;

/**
 * The door of a component with outage windows: a message arriving during an
 * outage waits for its end ('hold') or is lost ('drop'), per the mode in
 * force for that outage.
 */
export class OutageGate {
  dropped = 0;
  held = 0;

  constructor(
    readonly windows: OutageWindows,
    private readonly modeAt: (t: number) => 'hold' | 'drop',
  ) {}

  /** When a message arriving at `t` gets in: `t`, the end of the outage it met, or DROPPED. */
  receive(t: number): number {
    const up = this.windows.downUntil(t);
    if (up < 0) return t;
    if (this.modeAt(t) === 'drop') {
      this.dropped++;
      return DROPPED;
    }
    this.held++;
    return up;
  }
}
