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
    checkAppend('FifoChain', this.times, this.head, this.len, time);
    if (this.len === this.times.length) this.grow();
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
    this.times = grownRing(this.times, this.head, this.len);
    this.as = grownRing(this.as, this.head, this.len);
    this.bs = grownRing(this.bs, this.head, this.len);
    this.head = 0;
  }
}

/**
 * Timeouts set a fixed delay after their start, so in time order, and nearly
 * all cancelled long before they fall due (a request's response beats the
 * DSP's five-minute timeout). Put in the kernel's queue, each would sit
 * there, cancelled, until its time: most of the queue. A chain keeps them in
 * a ring and holds ONE kernel event, for its first live timeout. Each keeps
 * the insertion number it took when set (Simulator.reserve), so a timeout
 * that falls due runs exactly where it would have run from the kernel's own
 * queue, ties included.
 */
export class TimeoutChain {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private live = new Uint8Array(1024);
  private head = 0;
  private len = 0;
  /** Id of the entry at the head of the ring; ids count every timeout set, so an id names its entry until it leaves the ring. */
  private headId = 0;
  /** Kernel handle of the event for the head (-1: none scheduled). */
  private pending = -1;
  private readonly kind: number;

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    private readonly handler: (a: number, b: number) => void,
  ) {
    this.kind = sim.on(name, () => this.fire());
  }

  /** Timeouts set and neither fired nor dropped from the ring yet (cancelled ones included). */
  get size(): number {
    return this.len;
  }

  /** Sets a timeout at `time` (after now, not before the last one set); returns its id for cancel(). */
  set(time: number, a: number, b: number): number {
    if (!(time > this.sim.now)) throw new RangeError(`TimeoutChain: time ${time} is not after now (${this.sim.now})`);
    checkAppend('TimeoutChain', this.times, this.head, this.len, time);
    if (this.len === this.times.length) this.grow();
    const at = (this.head + this.len) % this.times.length;
    this.times[at] = time;
    // The insertion number the kernel would have given this event now.
    this.seqs[at] = this.sim.reserve();
    this.as[at] = a;
    this.bs[at] = b;
    this.live[at] = 1;
    this.len++;
    if (this.pending < 0) this.scheduleHead();
    return this.headId + this.len - 1;
  }

  /** Cancels timeout `id`; false if it already fired or was cancelled. */
  cancel(id: number): boolean {
    const k = id - this.headId;
    if (k < 0 || k >= this.len) return false;
    const at = (this.head + k) % this.times.length;
    if (this.live[at] === 0) return false;
    this.live[at] = 0;
    if (k === 0) {
      this.sim.cancel(this.pending);
      this.pending = -1;
      this.scheduleHead();
    }
    return true;
  }

  /** Drops cancelled entries from the head, then schedules the first live one. */
  private scheduleHead(): void {
    const cap = this.times.length;
    while (this.len > 0 && this.live[this.head] === 0) {
      this.head = (this.head + 1) % cap;
      this.len--;
      this.headId++;
    }
    if (this.len > 0) this.pending = this.sim.atReserved(this.times[this.head], this.seqs[this.head], this.kind, this.as[this.head], this.bs[this.head]);
  }

  private fire(): void {
    const i = this.head;
    const a = this.as[i];
    const b = this.bs[i];
    this.live[i] = 0;
    this.pending = -1;
    this.scheduleHead();
    this.handler(a, b);
  }

  private grow(): void {
    this.times = grownRing(this.times, this.head, this.len);
    this.seqs = grownRing(this.seqs, this.head, this.len);
    this.as = grownRing(this.as, this.head, this.len);
    this.bs = grownRing(this.bs, this.head, this.len);
    this.live = grownRing(this.live, this.head, this.len);
    this.head = 0;
  }
}

/** A ring (`len` times from `head`) takes no time before its last. */
function checkAppend(chain: string, times: Float64Array, head: number, len: number, time: number): void {
  if (len === 0) return;
  const last = times[(head + len - 1) % times.length];
  if (time < last) throw new RangeError(`${chain}: time ${time} before the last (${last})`);
}

/** A ring's array at twice the size, its `len` entries from `head` moved to the front. */
function grownRing<T extends Float64Array | Int32Array | Uint8Array>(a: T, head: number, len: number): T {
  const cap = a.length;
  const next = new (a.constructor as new (n: number) => T)(cap * 2);
  for (let k = 0; k < len; k++) next[k] = a[(head + k) % cap];
  return next;
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
