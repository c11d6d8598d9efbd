/**
 * The progress line of a sweep on stderr: runs ended of all, running,
 * retried, failed, wall time and an estimate of what is left. Like a run's
 * (src/cli/progress.ts), only on a terminal unless forced.
 */
export class SweepProgress {
  private readonly t0 = performance.now();
  private lastDraw = 0;
  private drawn = false;
  ended = 0;
  running = 0;
  retried = 0;
  failed = 0;

  constructor(
    private readonly total: number,
    /** Runs already finished before this start (--resume): counted as ended, not in the rate. */
    private readonly before: number,
    private readonly enabled: boolean,
  ) {
    this.ended = before;
  }

  seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  draw(force = false): void {
    const wall = this.seconds();
    if (!this.enabled || (!force && wall - this.lastDraw < 0.2)) return;
    this.lastDraw = wall;
    const share = this.total > 0 ? this.ended / this.total : 1;
    const width = 24;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    const done = this.ended - this.before;
    const left = done > 0 ? ((this.total - this.ended) * wall) / done : null;
    const eta = left === null ? '' : `  about ${left.toFixed(0)} s left`;
    const line = `[${bar}] ${this.ended}/${this.total} runs  ${this.running} running  ${this.retried} retried  ${this.failed} failed  ${wall.toFixed(1)} s${eta}`;
    process.stderr.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
