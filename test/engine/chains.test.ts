import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { FifoChain, SortedChain, TimeoutChain } from '../../src/engine/chains.js';
import { RandomStreams } from '../../src/engine/random.js';

describe('SortedChain', () => {
  it('fires a batch in time order (ties in insertion order) holding one queue entry', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const chain = new SortedChain(sim, 'c', (a) => seen.push(`${sim.now}:${a}`));
    const rng = new RandomStreams(3).stream('t');
    const n = 5000;
    const times = new Float64Array(n);
    const args = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      times[i] = 100 + Math.floor(rng() * 50);
      args[i] = i;
    }
    const expected = [...Array(n).keys()].sort((x, y) => times[x] - times[y] || x - y).map((i) => `${times[i]}:${i}`);
    chain.start(times, args, n);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual(expected);
  });

  it('sorts fractional times too', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const chain = new SortedChain(sim, 'c', (a) => seen.push(a));
    chain.start(Float64Array.from([3.5, 1.25, 2, 1.25]), Int32Array.from([0, 1, 2, 3]), 4);
    sim.run();
    expect(seen).toEqual([1, 3, 2, 0]);
  });
});

describe('FifoChain', () => {
  it('fires appended events in order and refuses one earlier than the last', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const chain = new FifoChain(sim, 'f', (a, b) => seen.push(`${sim.now}:${a}:${b}`));
    for (let i = 0; i < 3000; i++) chain.push(10 + (i >> 4), i, -i); // grows the ring past 1024
    expect(() => chain.push(5, 0, 0)).toThrow(/before the last/);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen.length).toBe(3000);
    expect(seen[0]).toBe('10:0:0');
    expect(seen[2999]).toBe(`${10 + (2999 >> 4)}:2999:-2999`);
  });
});

describe('TimeoutChain', () => {
  /**
   * Jobs that each set a timeout a fixed delay on and do work at random
   * whole-ms delays (so that times collide), some work cancelling a pending
   * timeout, some scheduled for "now": the trace of what ran when, with the
   * timeouts straight in the kernel's queue or in a chain.
   */
  function trace(chained: boolean): { seen: string[]; peak: number } {
    const sim = new Simulator();
    const rng = new RandomStreams(9).stream('jobs');
    const seen: string[] = [];
    const handles: number[] = [];
    const kTimeout = sim.on('timeout', (job) => seen.push(`${sim.now}:timeout:${job}`));
    const chain = new TimeoutChain(sim, 'timeouts', (job) => seen.push(`${sim.now}:timeout:${job}`));
    let jobs = 0;
    let peak = 0;
    const kWork = sim.on('work', (job, step) => {
      seen.push(`${sim.now}:work:${job}:${step}`);
      peak = Math.max(peak, sim.pending);
      // Mostly a job's last step cancels its own timeout (a response beating it), now and then another's.
      const k = step === 3 && rng() < 0.85 ? job : rng() < 0.1 ? Math.floor(rng() * handles.length) : -1;
      if (k >= 0 && (chained ? chain.cancel(handles[k]) : sim.cancel(handles[k]))) seen.push(`${sim.now}:cancel:${k}`);
      if (step < 3) sim.at(sim.now + (rng() < 0.2 ? 0 : Math.floor(rng() * 30)), kWork, job, step + 1);
    });
    const kJob = sim.on('job', () => {
      const job = jobs++;
      const deadline = sim.now + 400;
      handles.push(chained ? chain.set(deadline, job, 0) : sim.at(deadline, kTimeout, job));
      sim.at(sim.now + Math.floor(rng() * 30), kWork, job, 1);
      if (jobs < 4000) sim.at(sim.now + Math.floor(rng() * 3), kJob);
    });
    sim.at(0, kJob);
    sim.run();
    return { seen, peak };
  }

  it('runs every timeout left standing exactly where the kernel would have, ties included, from a shorter queue', () => {
    const direct = trace(false);
    const chained = trace(true);
    expect(chained.seen.filter((s) => s.includes(':timeout:')).length).toBeGreaterThan(100);
    expect(chained.seen.filter((s) => s.includes(':cancel:')).length).toBeGreaterThan(1000);
    expect(chained.seen).toEqual(direct.seen);
    expect(chained.peak).toBeLessThan(direct.peak / 2);
  });

  it('refuses a timeout before the last or not after now, and a second cancel', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const chain = new TimeoutChain(sim, 't', (a) => fired.push(a));
    const first = chain.set(10, 1, 0);
    chain.set(20, 2, 0);
    expect(() => chain.set(15, 3, 0)).toThrow(/before the last/);
    expect(() => chain.set(0, 3, 0)).toThrow(/not after now/);
    expect(chain.cancel(first)).toBe(true);
    expect(chain.cancel(first)).toBe(false);
    sim.run();
    expect(fired).toEqual([2]);
    expect(sim.dispatched).toBe(1);
  });
});
