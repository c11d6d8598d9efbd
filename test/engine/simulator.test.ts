import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { RandomStreams } from '../../src/engine/random.js';

function recorder(sim: Simulator) {
  const log: string[] = [];
  const kind = sim.on('rec', (a, b) => log.push(`${sim.now}:${a}:${b}`));
  return { log, kind };
}

describe('Simulator', () => {
  it('dispatches in time order, equal times in insertion order', () => {
    const sim = new Simulator(4);
    const { log, kind } = recorder(sim);
    sim.at(30, kind, 1);
    sim.at(10, kind, 2);
    sim.at(30, kind, 3);
    sim.at(20, kind, 4);
    sim.at(10, kind, 5);
    sim.run();
    expect(log).toEqual(['10:2:0', '10:5:0', '20:4:0', '30:1:0', '30:3:0']);
  });

  it('runs zero-delay events after earlier-scheduled events at the same time', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const rec = sim.on('rec', (a) => log.push(`${sim.now}:${a}`));
    const spawn = sim.on('spawn', (a) => {
      log.push(`${sim.now}:spawn${a}`);
      sim.after(0, rec, 100 + a); // same time: after anything already queued at this time
      sim.after(0, rec, 200 + a);
    });
    sim.at(5, spawn, 1);
    sim.at(5, rec, 2); // scheduled before spawn ran: goes first
    sim.at(6, rec, 3);
    sim.run();
    expect(log).toEqual(['5:spawn1', '5:2', '5:101', '5:201', '6:3']);
  });

  it('keeps FIFO order across thousands of same-time events and ring growth', () => {
    const sim = new Simulator(16);
    const seen: number[] = [];
    const rec = sim.on('rec', (a) => seen.push(a));
    const burst = sim.on('burst', () => {
      for (let i = 0; i < 5000; i++) sim.after(0, rec, i);
    });
    sim.at(1, burst);
    sim.run();
    expect(seen.length).toBe(5000);
    expect(seen.every((v, i) => v === i)).toBe(true);
  });

  it('matches a reference sort on random schedules', () => {
    const rng = new RandomStreams(7).stream('test');
    const sim = new Simulator(8);
    const got: number[] = [];
    const rec = sim.on('rec', (a) => got.push(a));
    const expected: Array<[number, number]> = [];
    for (let i = 0; i < 20000; i++) {
      const t = Math.floor(rng() * 500);
      sim.at(t, rec, i);
      expected.push([t, i]);
    }
    expected.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    sim.run();
    expect(got).toEqual(expected.map((e) => e[1]));
  });

  it('matches a reference queue when events reschedule near, far, at fractional times and at the edge of the near buckets', () => {
    // Delays (ms) that land in the per-millisecond buckets, past them (about 16 s), at their edge, off the millisecond, or now.
    const delays = [0, 1, 3, 17, 250, 2_000, 16_383, 16_384, 16_385, 40_000, 0.5, 1_234.25];
    const rng = new RandomStreams(11).stream('test');
    const sim = new Simulator(8);
    const got: string[] = [];
    // The reference: every pending event with its key (time, same-time-as-scheduled last, insertion order), popped by a scan.
    const pending: Array<{ t: number; phase: number; seq: number; id: number }> = [];
    let seq = 0;
    let next = 0;
    const schedule = (delay: number) => {
      const id = next++;
      const t = sim.now + delay;
      pending.push({ t, phase: t === sim.now ? 1 : 0, seq: seq++, id });
      sim.at(t, spawn, id);
    };
    const spawn = sim.on('spawn', (id) => {
      got.push(`${sim.now}:${id}`);
      if (next < 6_000) for (let k = Math.floor(rng() * 3); k > 0; k--) schedule(delays[Math.floor(rng() * delays.length)]);
    });
    for (let i = 0; i < 50; i++) schedule(delays[i % delays.length]);
    sim.run();
    const expected: string[] = [];
    let now = 0;
    while (pending.length > 0) {
      let m = 0;
      for (let i = 1; i < pending.length; i++) {
        const a = pending[i];
        const b = pending[m];
        if (a.t < b.t || (a.t === b.t && (a.phase < b.phase || (a.phase === b.phase && a.seq < b.seq)))) m = i;
      }
      const [e] = pending.splice(m, 1);
      now = e.t;
      expected.push(`${now}:${e.id}`);
    }
    expect(got.length).toBeGreaterThan(3_000);
    expect(got).toEqual(expected);
  });

  it('tells a handler whether anything else is due at its instant', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const probe = sim.on('probe', (a) => seen.push(`${sim.now}:${a}:${sim.nothingDueNow()}`));
    const spawn = sim.on('spawn', () => {
      sim.at(sim.now, probe, 1); // now in the same-time ring: something is due
      seen.push(`${sim.now}:spawn:${sim.nothingDueNow()}`);
    });
    sim.at(10, probe, 0); // queued for 10 behind the next one
    sim.at(10, probe, 2);
    sim.at(20, spawn);
    sim.at(40_000.5, probe, 3); // off the millisecond, far: the heap
    sim.at(40_000.5, probe, 4);
    sim.run();
    expect(seen).toEqual(['10:0:false', '10:2:true', '20:spawn:false', '20:1:true', '40000.5:3:false', '40000.5:4:true']);
  });

  it('cancels pending events and refuses stale handles', () => {
    const sim = new Simulator();
    const { log, kind } = recorder(sim);
    const h1 = sim.at(10, kind, 1);
    const h2 = sim.at(20, kind, 2);
    const h3 = sim.after(0, kind, 3);
    expect(sim.cancel(h2)).toBe(true);
    expect(sim.cancel(h2)).toBe(false);
    expect(sim.cancel(h3)).toBe(true);
    sim.run();
    expect(log).toEqual(['10:1:0']);
    // h1 ran; its slot may be reused by a new event: the old handle must not cancel it.
    const h4 = sim.at(30, kind, 4);
    expect(sim.cancel(h1)).toBe(false);
    sim.run();
    expect(log).toEqual(['10:1:0', '30:4:0']);
    expect(sim.cancel(h4)).toBe(false);
    expect(sim.dispatched).toBe(2);
  });

  it('stops at the until time and resumes from there', () => {
    const sim = new Simulator();
    const { log, kind } = recorder(sim);
    sim.at(10, kind, 1);
    sim.at(100, kind, 2);
    expect(sim.run(50)).toBe(1);
    expect(sim.now).toBe(50);
    expect(sim.peekTime()).toBe(100);
    sim.run(100); // inclusive
    expect(log).toEqual(['10:1:0', '100:2:0']);
    expect(sim.pending).toBe(0);
  });

  it('stop() ends run after the current event', () => {
    const sim = new Simulator();
    const log: number[] = [];
    const k = sim.on('k', (a) => {
      log.push(a);
      if (a === 2) sim.stop();
    });
    for (let i = 1; i <= 4; i++) sim.at(i, k, i);
    sim.run();
    expect(log).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    sim.run();
    expect(log).toEqual([1, 2, 3, 4]);
  });

  it('run(until, maxEvents) stops after that many events and resumes where it stopped', () => {
    const sim = new Simulator();
    const log: number[] = [];
    const k = sim.on('k', (a) => log.push(a));
    for (let i = 1; i <= 5; i++) sim.at(10, k, i);
    sim.at(20, k, 6);
    expect(sim.run(100, 2)).toBe(2);
    expect(log).toEqual([1, 2]);
    // stopped at a time with events left: the clock stays there, not at `until`
    expect(sim.now).toBe(10);
    expect(sim.run(100, 3)).toBe(3);
    expect(sim.run(100)).toBe(1);
    expect(log).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sim.now).toBe(100);
  });

  it('refuses to schedule in the past', () => {
    const sim = new Simulator();
    const k = sim.on('k', () => {});
    sim.at(10, k);
    sim.run();
    expect(() => sim.at(5, k)).toThrow(/past/);
    expect(() => sim.at(NaN, k)).toThrow(/past/);
  });

  it('carries int32 arguments intact', () => {
    const sim = new Simulator();
    const { log, kind } = recorder(sim);
    sim.at(1, kind, -2147483648, 2147483647);
    sim.run();
    expect(log).toEqual(['1:-2147483648:2147483647']);
  });
});

describe('RandomStreams', () => {
  it('gives each name its own reproducible stream', () => {
    const a = new RandomStreams(42);
    const b = new RandomStreams(42);
    const xs = [a.stream('cspNorth')(), a.stream('cspNorth')(), a.stream('dsp')()];
    // Drawing from another stream first must not change cspNorth's sequence.
    b.stream('dsp')();
    b.stream('newComponent')();
    const ys = [b.stream('cspNorth')(), b.stream('cspNorth')()];
    expect(ys).toEqual(xs.slice(0, 2));
    expect(new RandomStreams(43).stream('cspNorth')()).not.toBe(xs[0]);
    expect(a.names()).toEqual(['cspNorth', 'dsp']);
  });
});
