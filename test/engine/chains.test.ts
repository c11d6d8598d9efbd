import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { FifoChain, SortedChain } from '../../src/engine/chains.js';
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
