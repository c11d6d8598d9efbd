/**
 * A paced server: a FIFO server with a throughput cap. The k-th job may start
 * no earlier than 1/capacity after the (k-1)-th. Service time (latency) is
 * the caller's to add on top, and overlaps between jobs, as in a pipelined
 * gateway. Kept as arithmetic on two numbers instead of a queue of objects,
 * so a burst of a million jobs costs nothing extra in memory; the queue's
 * length is still observable (backlog()).
 */
export class PacedServer {
  private nextFree = 0;
  private readonly spacing: number;
  /** Jobs that had to wait for capacity. */
  queued = 0;
  /** Largest wait seen, ms. */
  maxWait = 0;
  /** Jobs admitted so far (a lower-priority user reads the capacity left over between two looks). */
  admitted = 0;

  constructor(capacityPerSecond: number) {
    this.spacing = capacityPerSecond > 0 ? 1000 / capacityPerSecond : 0;
  }

  /** Admit a job arriving at `t`; returns when its service starts. */
  admit(t: number): number {
    this.admitted++;
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

  /** Would a job arriving at `t` wait? */
  busy(t: number): boolean {
    return this.spacing !== 0 && t < this.nextFree;
  }

  /** Jobs queued at `t` (admitted, not yet started) counting one arriving then. */
  ahead(t: number): number {
    if (this.spacing === 0 || this.nextFree <= t) return 0;
    return Math.ceil((this.nextFree - t) / this.spacing);
  }

  /** Jobs waiting at time t (arrived, not yet started). */
  backlog(t: number): number {
    if (this.spacing === 0 || this.nextFree <= t) return 0;
    return Math.ceil((this.nextFree - t) / this.spacing) - 1;
  }
}
