/**
 * A CSP's distribution of firmware images to Comms Hubs as GBT blocks over
 * its SMWAN, for a whole campaign at once.
 *
 * Each hub takes one block per `blockIntervalMs` of its CSP (seed 002: one
 * packet per ten seconds on CSP North), slower by `dayPace` in the working
 * day; a lost block is sent again in the hub's next slot. Firmware is the
 * CSP's background traffic: every tick it may use `capacityShare` of the
 * capacity the CSP's alerts and requests left over in the tick before (the
 * same PacedServer they pass through). When that is less than the active
 * transfers want, every transfer slows by the same factor: a storm's alerts
 * take the CSP and the campaign waits.
 *
 * So the CSP keeps one progress clock V (block slots at full pace, summed
 * over ticks) and a heap of transfers keyed by the V at which each is done:
 * one kernel event per tick while any transfer is active, however many hubs
 * are. Two modes give the same model:
 *   'block'  each block is drawn as it is sent (lost or not), a heap entry per
 *            block slot: the per-block model, for tests on small campaigns;
 *   'batch'  a transfer's lost blocks are drawn at once when it starts (their
 *            count: N geometric draws, a normal approximation above 64 blocks)
 *            and it needs one heap entry: what a million-device campaign runs.
 * test/flows/firmware/distribution.test.ts shows the two agree.
 *
 * Transfers start at the tick after they are handed over (the CSP starts
 * blocks on its tick); completion times are interpolated within the tick.
 * A hub without power takes nothing: its block ('block' mode), or its last
 * one ('batch'), waits slot by slot until power is back, so a power-outage
 * storm holds back the transfers of the hubs it takes off.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Rng } from '../../engine/random.js';
import type { PacedServer } from '../../engine/resources/index.js';
import { floorMod } from '../../engine/modulo.js';
import { DAY, type FirmwareParams } from './params.js';

export type DistributionMode = 'block' | 'batch';

/** Told when a transfer ends: `ok` false when the CSP gave the hub up; `at` the true time (<= now). */
export type TransferDone = (id: number, ok: boolean, at: number) => void;

const HOUR = 3_600_000;
/** Blocks above which a transfer's lost blocks are drawn by a normal approximation. */
const EXACT_BLOCKS = 64;

/** A binary min-heap of (key, id) in typed arrays (ties: the earlier push first). */
class KeyHeap {
  key = new Float64Array(1024);
  id = new Int32Array(1024);
  seq = new Float64Array(1024);
  size = 0;
  private n = 0;

  push(k: number, id: number): void {
    if (this.size === this.key.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.key = grow(this.key);
      this.id = grow(this.id);
      this.seq = grow(this.seq);
    }
    const s = this.n++;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key[p] < k || (this.key[p] === k && this.seq[p] < s)) break;
      this.key[i] = this.key[p];
      this.id[i] = this.id[p];
      this.seq[i] = this.seq[p];
      i = p;
    }
    this.key[i] = k;
    this.id[i] = id;
    this.seq[i] = s;
  }

  /** Removes the top; read key[0] and id[0] first. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const k = this.key[n];
    const id = this.id[n];
    const s = this.seq[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (this.key[c + 1] < this.key[c] || (this.key[c + 1] === this.key[c] && this.seq[c + 1] < this.seq[c]))) c++;
      if (k < this.key[c] || (k === this.key[c] && s < this.seq[c])) break;
      this.key[i] = this.key[c];
      this.id[i] = this.id[c];
      this.seq[i] = this.seq[c];
      i = c;
    }
    this.key[i] = k;
    this.id[i] = id;
    this.seq[i] = s;
  }
}

export class CspDistributor {
  /** Progress clock: block slots at full pace, summed. */
  private v = 0;
  private lastTick = 0;
  private lastAdmitted = 0;
  private ticking = false;
  private readonly heap = new KeyHeap();
  /** Transfers handed over since the last tick: (id, blocks). */
  private pendingId = new Int32Array(256);
  private pendingBlocks = new Int32Array(256);
  private pendingN = 0;
  /** Per transfer id: blocks still to send ('block' mode), lost blocks so far. */
  private left = new Int32Array(0);
  private lostBlocks = new Int32Array(0);
  /** 'block' mode: losses in a row of the block being sent. */
  private streak = new Int32Array(0);
  private readonly kTick: number;
  private readonly normal: () => number;
  /** Counters: blocks sent (lost ones included), transfers done and given up, ticks where capacity held firmware back. */
  readonly counts = { blocks: 0, done: 0, givenUp: 0, throttledTicks: 0, waitedForHub: 0 };
  /** Is transfer `id`'s hub unable to take a block now (no power)? Set by the flow; null: never. */
  blocked: ((id: number) => boolean) | null = null;
  /** Active transfers. */
  active = 0;

  constructor(
    private readonly sim: Simulator,
    name: string,
    private readonly server: PacedServer,
    /** The CSP's capacity, messages per second (0: unlimited). */
    private readonly capacityPerSecond: number,
    /** Full-pace interval between a hub's blocks, ms. */
    private readonly intervalMs: number,
    private readonly p: FirmwareParams,
    private readonly epoch: number,
    private readonly rng: Rng,
    private readonly mode: DistributionMode,
    private readonly done: TransferDone,
  ) {
    this.kTick = sim.on(`firmware.tick/${name}`, () => this.tick());
    let spare = 0;
    let has = false;
    this.normal = () => {
      if (has) {
        has = false;
        return spare;
      }
      const u = Math.max(rng(), Number.MIN_VALUE);
      const r = Math.sqrt(-2 * Math.log(u));
      const a = 2 * Math.PI * rng();
      spare = r * Math.sin(a);
      has = true;
      return r * Math.cos(a);
    };
  }

  /** Hands transfer `id` (0 .. ids-1, set by reserve) of `blocks` blocks to the CSP now. */
  start(id: number, blocks: number): void {
    if (this.pendingN === this.pendingId.length) {
      const a = new Int32Array(this.pendingN * 2);
      a.set(this.pendingId);
      this.pendingId = a;
      const b = new Int32Array(this.pendingN * 2);
      b.set(this.pendingBlocks);
      this.pendingBlocks = b;
    }
    this.pendingId[this.pendingN] = id;
    this.pendingBlocks[this.pendingN++] = blocks;
    if (!this.ticking) {
      this.ticking = true;
      this.lastTick = this.sim.now;
      this.lastAdmitted = this.server.admitted;
      this.sim.at(this.sim.now + this.p.tickMs, this.kTick);
    }
  }

  /** Room for transfer ids 0 .. n-1. */
  reserve(n: number): void {
    if (n <= this.left.length) return;
    const l = new Int32Array(n);
    l.set(this.left);
    this.left = l;
    const b = new Int32Array(n);
    b.set(this.lostBlocks);
    this.lostBlocks = b;
    const k = new Int32Array(n);
    k.set(this.streak);
    this.streak = k;
  }

  /** Lost blocks of transfer `id` (resent), as far as it went. */
  lost(id: number): number {
    return this.lostBlocks[id];
  }

  /** Pace at time t relative to the night's full pace. */
  private pace(t: number): number {
    const hour = Math.floor(floorMod(this.epoch + t, DAY) / HOUR);
    return hour >= 8 && hour < 20 ? this.p.dayPace : 1;
  }

  private tick(): void {
    const now = this.sim.now;
    const span = now - this.lastTick;
    const full = (span / this.intervalMs) * this.pace(this.lastTick);
    // What alerts and requests left of the CSP over the last tick; nothing while they queue.
    const used = this.server.admitted - this.lastAdmitted;
    let factor = 1;
    if (this.capacityPerSecond > 0 && this.active > 0) {
      const spare = this.server.busy(now) ? 0 : Math.max(0, (this.capacityPerSecond * span) / 1000 - used) * this.p.capacityShare;
      const want = this.active * full;
      if (spare < want) {
        factor = spare / want;
        this.counts.throttledTicks++;
      }
    }
    const dv = full * factor;
    const v0 = this.v;
    this.v += dv;
    this.counts.blocks += Math.round(this.active * dv);
    this.complete(v0, dv, now - span, span);
    this.admit();
    this.lastTick = now;
    this.lastAdmitted = this.server.admitted;
    if (this.active > 0) this.sim.at(now + this.p.tickMs, this.kTick);
    else this.ticking = false;
  }

  /** Transfers whose key V reached: done (interpolated within the tick), or their next block. */
  private complete(v0: number, dv: number, t0: number, span: number): void {
    const H = this.heap;
    while (H.size > 0 && H.key[0] <= this.v) {
      const key = H.key[0];
      const id = H.id[0];
      H.pop();
      const at = dv > 0 ? Math.min(t0 + span, Math.max(t0, Math.round(t0 + (span * (key - v0)) / dv))) : t0 + span;
      if (this.blocked !== null && this.blocked(id)) {
        // The hub has no power: nothing reaches it; the CSP tries again in its next slot.
        this.counts.waitedForHub++;
        H.push(key + 1, id);
        continue;
      }
      if (this.mode === 'block') {
        // One block went in this slot: lost (sent again next slot, or the hub given up) or through.
        if (this.rng() < this.p.blockLoss) {
          this.lostBlocks[id]++;
          if (++this.streak[id] >= this.p.blockAttempts) {
            this.end(id, false, at);
            continue;
          }
        } else {
          this.streak[id] = 0;
          if (--this.left[id] === 0) {
            this.end(id, true, at);
            continue;
          }
        }
        H.push(key + 1, id);
      } else {
        this.end(id, this.left[id] >= 0, at);
      }
    }
  }

  private end(id: number, ok: boolean, at: number): void {
    this.active--;
    if (ok) this.counts.done++;
    else this.counts.givenUp++;
    this.done(id, ok, at);
  }

  /** The transfers handed over since the last tick start now. */
  private admit(): void {
    for (let i = 0; i < this.pendingN; i++) {
      const id = this.pendingId[i];
      const n = this.pendingBlocks[i];
      this.active++;
      this.lostBlocks[id] = 0;
      if (this.mode === 'block') {
        this.left[id] = n;
        this.streak[id] = 0;
        this.heap.push(this.v + 1, id);
      } else {
        const lost = this.drawLost(n);
        this.lostBlocks[id] = lost;
        // A transfer given up ends where its lost block stopped it: left < 0 marks it.
        const gaveUp = this.rng() < 1 - Math.pow(1 - Math.pow(this.p.blockLoss, this.p.blockAttempts), n);
        this.left[id] = gaveUp ? -1 : 0;
        const need = gaveUp ? Math.max(1, Math.floor(this.rng() * (n + lost))) : n + lost;
        this.heap.push(this.v + need, id);
      }
    }
    this.pendingN = 0;
  }

  /** Lost (resent) blocks of an n-block transfer: a negative binomial count. */
  private drawLost(n: number): number {
    const q = this.p.blockLoss;
    if (q <= 0) return 0;
    if (n <= EXACT_BLOCKS) {
      let lost = 0;
      for (let i = 0; i < n; i++) while (this.rng() < q) lost++;
      return lost;
    }
    const mean = (n * q) / (1 - q);
    const sd = Math.sqrt(n * q) / (1 - q);
    return Math.max(0, Math.round(mean + sd * this.normal()));
  }
}
