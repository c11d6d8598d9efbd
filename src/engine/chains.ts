/**
 * Many future events known at once, fed to the kernel one at a time.
 *
 * A storm schedules a million restorations in one instant; put in the queue
 * as they are, they make every other push and pop twenty levels deep for the
 * whole outage. A chain keeps such a batch in its own sorted typed arrays and
 * holds ONE entry in the kernel's queue: when it fires, it schedules its next
 * element, then calls the handler. Same events, same times, a queue of the
 * size of what is actually concurrent.
 */
import type { Simulator } from './simulator.js';

/** A batch of (time, argument) pairs, sorted once by time (ties in insertion order). */
export class SortedChain {
  private times = new Float64Array(0);
  private args = new Int32Array(0);
  private next = 0;
  private n = 0;
  private readonly kind: number;

  constructor(
    private readonly sim: Simulator,
    name: string,
    private readonly handler: (arg: number) => void,
  ) {
    this.kind = sim.on(name, () => this.fire());
  }

  /** Loads the batch (n first entries of the arrays, which the chain then owns) and starts it. */
  start(times: Float64Array, args: Int32Array, n: number): void {
    if (this.next < this.n) throw new Error('chain already running');
    const order = sortedOrder(times, n);
    this.times = new Float64Array(n);
    this.args = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.times[i] = times[order[i]];
      this.args[i] = args[order[i]];
    }
    this.next = 0;
    this.n = n;
    if (n > 0) this.sim.at(this.times[0], this.kind);
  }

  private fire(): void {
    const arg = this.args[this.next++];
    if (this.next < this.n) this.sim.at(this.times[this.next], this.kind);
    else {
      this.times = new Float64Array(0);
      this.args = new Int32Array(0);
    }
    this.handler(arg);
  }
}

/**
 * Events appended in nondecreasing time order as the run goes (e.g. "three
 * minutes after each arrival"), two int32 arguments each, one queue entry.
 */
export class FifoChain {
  private times = new Float64Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private head = 0;
  private len = 0;
  private readonly kind: number;

  constructor(
    private readonly sim: Simulator,
    name: string,
    private readonly handler: (a: number, b: number) => void,
  ) {
    this.kind = sim.on(name, () => this.fire());
  }

  /** Time of the last event appended and not yet fired (-Infinity when empty). */
  get lastTime(): number {
    return this.len === 0 ? -Infinity : this.times[(this.head + this.len - 1) % this.times.length];
  }

  push(time: number, a: number, b: number): void {
    const cap = this.times.length;
    if (this.len > 0) {
      const last = this.times[(this.head + this.len - 1) % cap];
      if (time < last) throw new RangeError(`FifoChain: time ${time} before the last (${last})`);
    }
    if (this.len === cap) this.grow();
    const at = (this.head + this.len) % this.times.length;
    this.times[at] = time;
    this.as[at] = a;
    this.bs[at] = b;
    this.len++;
    if (this.len === 1) this.sim.at(time, this.kind);
  }

  private fire(): void {
    const i = this.head;
    const a = this.as[i];
    const b = this.bs[i];
    this.head = (this.head + 1) % this.times.length;
    this.len--;
    if (this.len > 0) this.sim.at(this.times[this.head], this.kind);
    this.handler(a, b);
  }

  private grow(): void {
    const cap = this.times.length;
    const t = new Float64Array(cap * 2);
    const a = new Int32Array(cap * 2);
    const b = new Int32Array(cap * 2);
    for (let k = 0; k < this.len; k++) {
      const j = (this.head + k) % cap;
      t[k] = this.times[j];
      a[k] = this.as[j];
      b[k] = this.bs[j];
    }
    this.times = t;
    this.as = a;
    this.bs = b;
    this.head = 0;
  }
}

/** Indices 0..n-1 ordered by times[i], ties by i. */
function sortedOrder(times: Float64Array, n: number): Uint32Array {
  let max = 0;
  for (let i = 0; i < n; i++) if (times[i] > max) max = times[i];
  // Fast path: pack (integer time, index) into one float64 and sort numerically.
  const span = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
  if (Number.isSafeInteger(max * span + span)) {
    const keys = new Float64Array(n);
    let integral = true;
    for (let i = 0; i < n; i++) {
      const t = times[i];
      if (t !== Math.floor(t) || t < 0) {
        integral = false;
        break;
      }
      keys[i] = t * span + i;
    }
    if (integral) {
      keys.sort();
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = keys[i] % span;
      return order;
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => times[x] - times[y] || x - y);
  return order;
}
