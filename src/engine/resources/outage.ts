/**
 * Availability: when a server is out of service, and what happens to a job
 * that arrives meanwhile.
 *
 * OutageWindows holds the known outage windows of one server, merged and
 * sorted; queries are O(log n). An OutageGate is the server's door: a job
 * arriving during an outage waits for its end ('hold') or is lost ('drop'),
 * per the mode in force for that outage.
 */

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

/** What happens to a job that arrives during an outage. */
export type OutageMode = 'hold' | 'drop';

/** The door of a server with outage windows. */
export class OutageGate {
  dropped = 0;
  held = 0;

  constructor(
    readonly windows: OutageWindows,
    private readonly modeAt: (t: number) => OutageMode,
  ) {}

  /** When a job arriving at `t` gets in: `t`, the end of the outage it met, or DROPPED. */
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
