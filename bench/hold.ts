/**
 * The classic hold model: N events pending; each step pops the earliest and
 * pushes one at now + Exp(mean). Measured three ways in the same process:
 * the kernel (Simulator, handler dispatch, (time, seq) ordering, slots,
 * cancel support), and two bare typed-array heaps (binary and 4-ary, keys
 * and values only, flatqueue-style) doing the same pops and pushes. The
 * kernel's queue is whichever bare heap wins here.
 */
import { pathToFileURL } from 'node:url';
import { Simulator } from '../src/engine/simulator.js';
import { RandomStreams, type Rng } from '../src/engine/random.js';

const MEAN = 1000;

class BareBinaryHeap {
  ids: Int32Array;
  keys: Float64Array;
  length = 0;
  constructor(n: number) {
    this.ids = new Int32Array(n);
    this.keys = new Float64Array(n);
  }
  push(id: number, key: number): void {
    const ids = this.ids;
    const keys = this.keys;
    let pos = this.length++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pk = keys[parent];
      if (key >= pk) break;
      ids[pos] = ids[parent];
      keys[pos] = pk;
      pos = parent;
    }
    ids[pos] = id;
    keys[pos] = key;
  }
  pop(): number {
    const ids = this.ids;
    const keys = this.keys;
    const top = ids[0];
    const n = --this.length;
    if (n > 0) {
      const id = ids[n];
      const key = keys[n];
      let pos = 0;
      const half = n >> 1;
      while (pos < half) {
        let c = 2 * pos + 1;
        let ck = keys[c];
        const r = c + 1;
        if (r < n && keys[r] < ck) {
          c = r;
          ck = keys[r];
        }
        if (ck >= key) break;
        ids[pos] = ids[c];
        keys[pos] = ck;
        pos = c;
      }
      ids[pos] = id;
      keys[pos] = key;
    }
    return top;
  }
  peekKey(): number {
    return this.keys[0];
  }
}

class BareQuaternaryHeap {
  ids: Int32Array;
  keys: Float64Array;
  length = 0;
  constructor(n: number) {
    this.ids = new Int32Array(n);
    this.keys = new Float64Array(n);
  }
  push(id: number, key: number): void {
    const ids = this.ids;
    const keys = this.keys;
    let pos = this.length++;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pk = keys[parent];
      if (key >= pk) break;
      ids[pos] = ids[parent];
      keys[pos] = pk;
      pos = parent;
    }
    ids[pos] = id;
    keys[pos] = key;
  }
  pop(): number {
    const ids = this.ids;
    const keys = this.keys;
    const top = ids[0];
    const n = --this.length;
    if (n > 0) {
      const id = ids[n];
      const key = keys[n];
      let pos = 0;
      for (;;) {
        const first = 4 * pos + 1;
        if (first >= n) break;
        let c = first;
        let ck = keys[first];
        const last = first + 4 < n ? first + 4 : n;
        for (let j = first + 1; j < last; j++) {
          if (keys[j] < ck) {
            c = j;
            ck = keys[j];
          }
        }
        if (ck >= key) break;
        ids[pos] = ids[c];
        keys[pos] = ck;
        pos = c;
      }
      ids[pos] = id;
      keys[pos] = key;
    }
    return top;
  }
  peekKey(): number {
    return this.keys[0];
  }
}

function exp(rng: Rng): number {
  return -MEAN * Math.log(1 - rng());
}

function holdBare(heap: BareBinaryHeap | BareQuaternaryHeap, n: number, steps: number, rng: Rng): number {
  for (let i = 0; i < n; i++) heap.push(i, exp(rng));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) {
    const now = heap.peekKey();
    const id = heap.pop();
    heap.push(id, now + exp(rng));
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return steps / s;
}

function holdKernel(n: number, steps: number, rng: Rng): number {
  const sim = new Simulator(n + 16);
  let remaining = steps;
  const hold = sim.on('hold', (a) => {
    if (--remaining <= 0) sim.stop();
    sim.at(sim.now + exp(rng), hold, a);
  });
  for (let i = 0; i < n; i++) sim.at(exp(rng), hold, i);
  const t0 = process.hrtime.bigint();
  const done = sim.run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return done / s;
}

export interface HoldResult {
  n: number;
  steps: number;
  kernelEventsPerSec: number;
  bareBinaryPerSec: number;
  bareQuaternaryPerSec: number;
  ratioToBare: number;
}

export function benchHold(sizes = [1e3, 1e5, 1e6], steps = 3_000_000): HoldResult[] {
  const out: HoldResult[] = [];
  for (const n of sizes) {
    const streams = new RandomStreams(1);
    // Warm up each variant once on a small queue so the JIT has settled.
    holdKernel(1000, 200_000, streams.stream('warm-k'));
    holdBare(new BareBinaryHeap(1024), 1000, 200_000, streams.stream('warm-b'));
    holdBare(new BareQuaternaryHeap(1024), 1000, 200_000, streams.stream('warm-q'));
    const bareBinaryPerSec = holdBare(new BareBinaryHeap(n + 1), n, steps, streams.stream('bare2'));
    const bareQuaternaryPerSec = holdBare(new BareQuaternaryHeap(n + 1), n, steps, streams.stream('bare4'));
    const kernelEventsPerSec = holdKernel(n, steps, streams.stream('kernel'));
    const bare = Math.max(bareBinaryPerSec, bareQuaternaryPerSec);
    out.push({ n, steps, kernelEventsPerSec, bareBinaryPerSec, bareQuaternaryPerSec, ratioToBare: kernelEventsPerSec / bare });
  }
  return out;
}

export function printHold(results: HoldResult[]): void {
  const f = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
  console.log('hold model (pop one, push one at now + Exp(1000 ms))');
  console.log('         N   kernel        bare binary   bare 4-ary    kernel / best bare');
  for (const r of results) {
    console.log(
      `${String(r.n).padStart(10)}   ${f(r.kernelEventsPerSec).padEnd(12)}  ${f(r.bareBinaryPerSec).padEnd(12)}  ${f(r.bareQuaternaryPerSec).padEnd(12)}  ${(r.ratioToBare * 100).toFixed(0)}%`,
    );
  }
  const big = results.find((r) => r.n === 1e6);
  if (big) console.log(`target: kernel >= 50% of bare heap at N = 1e6: ${big.ratioToBare >= 0.5 ? 'PASS' : 'FAIL'} (${(big.ratioToBare * 100).toFixed(0)}%)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printHold(benchHold());
}
