/**
 * A one-line progress display on stderr for long runs: simulated time
 * reached, share of the run, events per second. It appears only after the
 * first second (short runs stay quiet) and only on a terminal, unless forced.
 */

export interface ProgressSample {
  /** Simulated ms reached. */
  simNow: number;
  /** Simulated ms to reach. */
  simEnd: number;
  events: number;
  /** Optional extra text, e.g. alerts in flight. */
  note?: string;
}

export class ProgressBar {
  private readonly started = process.hrtime.bigint();
  private lastDraw = 0;
  private lastEvents = 0;
  private lastWall = 0;
  private drawn = false;
  peakRss = process.memoryUsage.rss();

  constructor(
    private readonly epoch: number,
    private readonly enabled = process.stderr.isTTY === true,
  ) {}

  elapsedSeconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  update(s: ProgressSample): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakRss) this.peakRss = rss;
    const wall = this.elapsedSeconds();
    if (!this.enabled || wall < 1 || wall - this.lastDraw < 0.2) return;
    const rate = wall > this.lastWall ? (s.events - this.lastEvents) / (wall - this.lastWall) : 0;
    this.lastDraw = wall;
    this.lastEvents = s.events;
    this.lastWall = wall;
    const share = Math.min(1, s.simEnd > 0 ? s.simNow / s.simEnd : 1);
    const width = 24;
    const filled = Math.round(share * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const when = new Date(this.epoch + s.simNow).toISOString().replace('T', ' ').slice(0, 19);
    const line = `[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  sim ${when}Z  ${fmtCount(rate)} events/s  ${wall.toFixed(1)} s${s.note ? '  ' + s.note : ''}`;
    process.stderr.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}

export function fmtCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export function fmtBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}
