/**
 * The discrete-event kernel: a simulated clock and one event queue.
 *
 * An event is a slot: handler id, two int32 arguments, a generation for
 * cancel, the next slot of its bucket and its insertion sequence, side by
 * side in 32 bytes of one buffer, so that dispatching an event long
 * scheduled misses the cache once, not once per field. Pending slots sit
 * in a binary heap keyed by (time, seq), seq being insertion order, so that
 * events at equal times run in the order they were scheduled. The heap holds
 * only times and slot ids (as a bare heap would); seq is read from the slot
 * on equal times alone, which keeps the heap's memory traffic minimal. Events scheduled for "now"
 * bypass the heap through a FIFO ring: storms schedule many of those, and a
 * ring push/pop is O(1) where the heap is O(log n). Most events fall within
 * seconds (a request's hops), so those for a whole millisecond in the next
 * 16 s go to that millisecond's bucket instead, a list in insertion order
 * (so in seq order), found through a bitmap: O(1) where the heap pops cost
 * a mispredicted branch a level. The next event is the earlier of the first
 * bucket's and the heap's by (time, seq), so the order is the heap's alone
 * would be. Nothing in schedule, cancel or the run loop allocates once the
 * arrays have grown to the working-set size.
 *
 * Times are integers: milliseconds since the scenario epoch (a fractional
 * time goes to the heap and keeps its place).
 *
 * Longer than 350 lines on purpose: the slots, the ring, the buckets and the
 * heap are one queue, and run() reads all four.
 */

export type Handler = (a: number, b: number) => void;

/** Handle returned by schedule(); pass to cancel(). */
export type EventHandle = number;

const CANCELLED = 0xffff;
const SLOT_BITS = 2 ** 26;
/** The near future held in per-millisecond buckets: 2^14 ms, about 16 s. */
const NEAR = 2 ** 14;
const NEAR_MASK = NEAR - 1;

/** A slot's int32 words: kind, a, b, gen, next (bucket list), a spare word, then seq as one float64. */
const SLOT_WORDS = 8;
const S_KIND = 0;
const S_A = 1;
const S_B = 2;
const S_GEN = 3;
const S_NEXT = 4;
/** seq's place among a slot's float64s (its last 8 bytes). */
const SLOT_DOUBLES = SLOT_WORDS / 2;
const S_SEQ = 3;

export class Simulator {
  /** Current simulated time, ms since epoch. */
  now = 0;
  /** Events dispatched so far (cancelled events are not counted). */
  dispatched = 0;

  private readonly handlers: Handler[] = [];
  private readonly handlerNames: string[] = [];

  // Slot storage: SLOT_WORDS int32s a slot, and the same memory as float64s for seq.
  private slots: Int32Array;
  private slotSeqs: Float64Array;
  private slotCapacity: number;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotHigh = 0;

  // Binary heap of pending slots, keys inline for locality.
  private heapT: Float64Array;
  private heapSlot: Int32Array;
  private heapSize = 0;
  private seq = 0;

  // Near buckets: one per whole millisecond of [floor(now), floor(now) + NEAR),
  // each a list of slots in insertion order, with a bitmap of the non-empty ones.
  private readonly nearHead = new Int32Array(NEAR).fill(-1);
  private readonly nearTail = new Int32Array(NEAR);
  private readonly nearMap = new Uint32Array(NEAR >> 5);
  private nearCount = 0;

  // Same-time FIFO ring.
  private fifo: Int32Array;
  private fifoHead = 0;
  private fifoLen = 0;

  private stopped = false;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    const memory = new ArrayBuffer(n * SLOT_WORDS * 4);
    this.slots = new Int32Array(memory);
    this.slotSeqs = new Float64Array(memory);
    this.slotCapacity = n;
    this.freeSlots = new Int32Array(n);
    this.heapT = new Float64Array(n);
    this.heapSlot = new Int32Array(n);
    this.fifo = new Int32Array(n);
  }

  /** Register an event handler; returns the kind id to schedule it with. */
  on(name: string, handler: Handler): number {
    if (this.handlers.length >= CANCELLED) throw new Error('too many event kinds');
    this.handlers.push(handler);
    this.handlerNames.push(name);
    return this.handlers.length - 1;
  }

  kindName(kind: number): string {
    return this.handlerNames[kind] ?? `#${kind}`;
  }

  /** Number of events waiting (including cancelled ones not yet reached). */
  get pending(): number {
    return this.heapSize + this.nearCount + this.fifoLen;
  }

  /** Schedule `kind(a, b)` at absolute time `time` (>= now). */
  at(time: number, kind: number, a = 0, b = 0): EventHandle {
    const slot = this.newSlot(time, kind, a, b);
    if (time === this.now) {
      this.fifoPush(slot);
    } else {
      this.slotSeqs[slot * SLOT_DOUBLES + S_SEQ] = this.seq++;
      // A whole millisecond in the next NEAR goes to its bucket, after every event already there (all of lower seq).
      if (time < Math.floor(this.now) + NEAR && Number.isInteger(time)) this.nearPush(time, slot);
      else this.heapPush(time, slot);
    }
    return this.slots[slot * SLOT_WORDS + S_GEN] * SLOT_BITS + slot;
  }

  /**
   * Takes the insertion number an event scheduled now for a later time would
   * get. A chain that holds such an event back (src/engine/chains.ts
   * TimeoutChain) schedules it later with atReserved(), and it runs exactly
   * where it would have run had it been in the queue all along.
   */
  reserve(): number {
    return this.seq++;
  }

  /** Schedule `kind(a, b)` at `time` (>= now) with an insertion number taken earlier by reserve(). */
  atReserved(time: number, seq: number, kind: number, a = 0, b = 0): EventHandle {
    const slot = this.newSlot(time, kind, a, b);
    // Always the heap, even at `now`: an event queued earlier for now runs before those added to the same-time ring;
    // and never a bucket, whose order is its events' insertion order.
    this.slotSeqs[slot * SLOT_DOUBLES + S_SEQ] = seq;
    this.heapPush(time, slot);
    return this.slots[slot * SLOT_WORDS + S_GEN] * SLOT_BITS + slot;
  }

  /** Schedule `kind(a, b)` after `delay` ms (>= 0). */
  after(delay: number, kind: number, a = 0, b = 0): EventHandle {
    return this.at(this.now + delay, kind, a, b);
  }

  /** Cancel a pending event. Returns false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    // SLOT_BITS is a power of two: the quotient is exact, and no fmod is called.
    const gen = Math.floor(handle / SLOT_BITS);
    const slot = handle - gen * SLOT_BITS;
    const w = slot * SLOT_WORDS;
    if (slot >= this.slotHigh || this.slots[w + S_GEN] !== gen) return false;
    if (this.slots[w + S_KIND] === CANCELLED) return false;
    this.slots[w + S_KIND] = CANCELLED;
    return true;
  }

  /** Stop the current run() after the event being dispatched. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Dispatch events in (time, seq) order up to and including `until`, or
   * until `maxEvents` have run (a caller that must hear from the run
   * regularly, however dense the events, bounds a slice so).
   * Leaves `now` at `until` if the queue drained earlier (and until is finite).
   * Returns the number of events dispatched in this call.
   */
  run(until = Infinity, maxEvents = Infinity): number {
    const handlers = this.handlers;
    let count = 0;
    this.stopped = false;
    let cut = false;
    for (;;) {
      // The earliest queued event: the first bucket's first, or the heap's top, by (time, seq).
      let queued = false;
      let t = Infinity;
      let bucket = -1;
      if (this.nearCount > 0) {
        bucket = this.nearFirst();
        t = this.bucketTime(bucket);
        queued = true;
      }
      if (this.heapSize > 0) {
        const ht = this.heapT[0];
        if (!queued || ht < t || (ht === t && this.seqOf(this.heapSlot[0]) < this.seqOf(this.nearHead[bucket]))) {
          t = ht;
          bucket = -1;
          queued = true;
        }
      }
      let slot: number;
      if (this.fifoLen > 0 && !(queued && t === this.now)) {
        slot = this.fifo[this.fifoHead];
        this.fifoHead = this.fifoHead + 1 === this.fifo.length ? 0 : this.fifoHead + 1;
        this.fifoLen--;
      } else if (queued) {
        if (t > until) break;
        this.now = t;
        slot = bucket >= 0 ? this.nearPop(bucket) : this.heapPop();
      } else {
        break;
      }
      // Read before freeing: the handler may reuse the slot (or grow the arrays).
      const slots = this.slots;
      const w = slot * SLOT_WORDS;
      const kind = slots[w + S_KIND];
      const a = slots[w + S_A];
      const b = slots[w + S_B];
      slots[w + S_GEN] = (slots[w + S_GEN] + 1) & (SLOT_BITS - 1);
      this.freeSlots[this.freeCount++] = slot;
      if (kind === CANCELLED) continue;
      handlers[kind](a, b);
      count++;
      if (this.stopped) break;
      if (count >= maxEvents) {
        cut = true;
        break;
      }
    }
    if (!this.stopped && !cut && until !== Infinity && this.now < until) this.now = until;
    this.dispatched += count;
    return count;
  }

  /**
   * Is nothing else due at this instant (the same-time ring empty, nothing
   * queued for now)? An event scheduled for now would then be the very next
   * to run, so a handler that ends by scheduling one may do its work at once
   * instead, in the same order.
   */
  nothingDueNow(): boolean {
    if (this.fifoLen > 0) return false;
    if (this.heapSize > 0 && this.heapT[0] === this.now) return false;
    return !(this.nearCount > 0 && this.bucketTime(this.nearFirst()) === this.now);
  }

  /** Time of the next pending event, or Infinity. */
  peekTime(): number {
    if (this.fifoLen > 0) return this.now;
    const near = this.nearCount > 0 ? this.bucketTime(this.nearFirst()) : Infinity;
    const far = this.heapSize > 0 ? this.heapT[0] : Infinity;
    return near < far ? near : far;
  }

  // ---- slots ----

  /** A slot holding `kind(a, b)`, for an event at `time`. */
  private newSlot(time: number, kind: number, a: number, b: number): number {
    if (!(time >= this.now)) {
      throw new RangeError(`cannot schedule in the past: ${time} < now ${this.now}`);
    }
    const slot = this.allocSlot();
    const w = slot * SLOT_WORDS;
    this.slots[w + S_KIND] = kind;
    this.slots[w + S_A] = a;
    this.slots[w + S_B] = b;
    return slot;
  }

  /** The insertion number of `slot`'s event. */
  private seqOf(slot: number): number {
    return this.slotSeqs[slot * SLOT_DOUBLES + S_SEQ];
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.slotHigh === this.slotCapacity) this.growSlots();
    return this.slotHigh++;
  }

  private growSlots(): void {
    const n = this.slotCapacity * 2;
    if (n > SLOT_BITS) throw new RangeError('event queue capacity exceeded');
    const memory = new ArrayBuffer(n * SLOT_WORDS * 4);
    const slots = new Int32Array(memory);
    slots.set(this.slots);
    this.slots = slots;
    this.slotSeqs = new Float64Array(memory);
    this.slotCapacity = n;
    this.freeSlots = grow(this.freeSlots, n);
  }

  // ---- FIFO ----

  private fifoPush(slot: number): void {
    if (this.fifoLen === this.fifo.length) {
      const n = this.fifo.length * 2;
      const next = new Int32Array(n);
      for (let i = 0; i < this.fifoLen; i++) {
        next[i] = this.fifo[(this.fifoHead + i) % this.fifo.length];
      }
      this.fifo = next;
      this.fifoHead = 0;
    }
    let tail = this.fifoHead + this.fifoLen;
    if (tail >= this.fifo.length) tail -= this.fifo.length;
    this.fifo[tail] = slot;
    this.fifoLen++;
  }

  // ---- near buckets ----

  private nearPush(time: number, slot: number): void {
    const i = time & NEAR_MASK;
    this.slots[slot * SLOT_WORDS + S_NEXT] = -1;
    if (this.nearHead[i] < 0) {
      this.nearHead[i] = slot;
      this.nearMap[i >> 5] |= 1 << (i & 31);
    } else {
      this.slots[this.nearTail[i] * SLOT_WORDS + S_NEXT] = slot;
    }
    this.nearTail[i] = slot;
    this.nearCount++;
  }

  private nearPop(i: number): number {
    const slot = this.nearHead[i];
    const next = this.slots[slot * SLOT_WORDS + S_NEXT];
    this.nearHead[i] = next;
    if (next < 0) this.nearMap[i >> 5] &= ~(1 << (i & 31));
    this.nearCount--;
    return slot;
  }

  /** The first non-empty bucket from now on (nearCount > 0). */
  private nearFirst(): number {
    const map = this.nearMap;
    const words = map.length;
    const start = Math.floor(this.now) & NEAR_MASK;
    let w = start >> 5;
    // Bits below `start` in its word are the far end of the window: looked at last.
    let bits = map[w] & (-1 << (start & 31));
    for (let k = 0; k <= words; k++) {
      if (bits !== 0) return (w << 5) + (31 - Math.clz32(bits & -bits));
      w = w + 1 === words ? 0 : w + 1;
      bits = map[w];
    }
    throw new Error('near buckets: count and bitmap disagree');
  }

  /** The time of bucket i's events: the one whole millisecond of the window that falls in it. */
  private bucketTime(i: number): number {
    const base = Math.floor(this.now);
    return base + ((i - base) & NEAR_MASK);
  }

  // ---- heap ----

  private heapPush(t: number, slot: number): void {
    if (this.heapSize === this.heapT.length) {
      const n = this.heapT.length * 2;
      this.heapT = grow(this.heapT, n);
      this.heapSlot = grow(this.heapSlot, n);
    }
    const T = this.heapT;
    const P = this.heapSlot;
    const Q = this.slotSeqs;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = T[parent];
      if (pt < t || (pt === t && Q[P[parent] * SLOT_DOUBLES + S_SEQ] < Q[slot * SLOT_DOUBLES + S_SEQ])) break;
      T[i] = pt;
      P[i] = P[parent];
      i = parent;
    }
    T[i] = t;
    P[i] = slot;
  }

  private heapPop(): number {
    const T = this.heapT;
    const P = this.heapSlot;
    const Q = this.slotSeqs;
    const top = P[0];
    const n = --this.heapSize;
    if (n > 0) {
      const t = T[n];
      const slot = P[n];
      let i = 0;
      const half = n >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ct = T[c];
        const r = c + 1;
        if (r < n) {
          const rt = T[r];
          if (rt < ct || (rt === ct && Q[P[r] * SLOT_DOUBLES + S_SEQ] < Q[P[c] * SLOT_DOUBLES + S_SEQ])) {
            c = r;
            ct = rt;
          }
        }
        if (t < ct || (t === ct && Q[slot * SLOT_DOUBLES + S_SEQ] < Q[P[c] * SLOT_DOUBLES + S_SEQ])) break;
        T[i] = ct;
        P[i] = P[c];
        i = c;
      }
      T[i] = t;
      P[i] = slot;
    }
    return top;
  }
}

type TypedArray = Int32Array | Float64Array;

function grow<T extends TypedArray>(a: T, n: number): T {
  const next = new (a.constructor as new (n: number) => T)(n);
  next.set(a);
  return next;
}
