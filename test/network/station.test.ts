import { describe, expect, it } from 'vitest';
import { DROPPED, OutageGate, OutageWindows, Station } from '../../src/network/station.js';
import { Dsp } from '../../src/network/dsp.js';
import { RandomStreams } from '../../src/engine/random.js';
import type { DspConfig } from '../../src/scenario/types.js';

describe('Station', () => {
  it('passes messages at most at its capacity, in arrival order', () => {
    const s = new Station(4); // one every 250 ms
    expect(s.admit(0)).toBe(0);
    expect(s.admit(0)).toBe(250);
    expect(s.admit(100)).toBe(500);
    expect(s.backlog(100)).toBe(2); // 250 and 500 still to start
    expect(s.admit(2000)).toBe(2000); // queue drained meanwhile
    expect(s.queued).toBe(2);
    expect(s.maxWait).toBe(400);
  });

  it('is a pass-through when capacity is 0 (unlimited)', () => {
    const s = new Station(0);
    for (let i = 0; i < 10; i++) expect(s.admit(7)).toBe(7);
    expect(s.backlog(7)).toBe(0);
  });
});

describe('OutageWindows', () => {
  const w = new OutageWindows([
    { start: 100, end: 200 },
    { start: 500, end: 600 },
    { start: 550, end: 700 }, // overlaps: merged to 500..700
  ]);
  it('says when an outage containing t ends, end exclusive', () => {
    expect(w.downUntil(99)).toBe(-1);
    expect(w.downUntil(100)).toBe(200);
    expect(w.downUntil(199)).toBe(200);
    expect(w.downUntil(200)).toBe(-1);
    expect(w.downUntil(560)).toBe(700);
    expect(w.count).toBe(2);
  });
  it('sums downtime within a range', () => {
    expect(w.downtime(0, 1000)).toBe(300);
    expect(w.downtime(150, 550)).toBe(100);
  });
});

describe('Dsp throttle', () => {
  const config: DspConfig = {
    validation: { dist: 'constant', value: 100 },
    rejectionShare: 0,
    routing: { dist: 'constant', value: 50 },
    throttlePerUserPerSecond: 10, // one per 100 ms per User
    handshakeTimeout: 30_000,
    retryDelays: [60_000],
    failedQueueRetention: 172_800_000,
    outageMode: 'hold',
  };
  it('paces each User separately and numbers throttled alerts per episode', () => {
    const dsp = new Dsp(config, new RandomStreams(1), 2, new OutageGate(new OutageWindows([]), () => 'hold'));
    expect(dsp.throttle(0, 1000)).toBe(1000);
    expect(dsp.lastThrottled).toBe(false);
    expect(dsp.throttle(0, 1000)).toBe(1100);
    expect([dsp.lastThrottled, dsp.lastSequenceId, dsp.lastCount]).toEqual([true, 1, 1]);
    expect(dsp.throttle(0, 1010)).toBe(1200);
    expect([dsp.lastSequenceId, dsp.lastCount]).toEqual([2, 2]);
    // Another User is not held by User 0's queue.
    expect(dsp.throttle(1, 1010)).toBe(1010);
    expect(dsp.lastThrottled).toBe(false);
    // User 0's queue drains by 1300: a new episode starts from sequence 1.
    expect(dsp.throttle(0, 5000)).toBe(5000);
    expect(dsp.throttle(0, 5000)).toBe(5100);
    expect(dsp.lastSequenceId).toBe(1);
    expect(dsp.throttledFor(0)).toBe(3);
  });
  it('holds or drops during its outages', () => {
    const w = new OutageWindows([{ start: 0, end: 1000 }]);
    const held = new OutageGate(w, () => 'hold');
    expect(held.receive(10)).toBe(1000);
    expect(held.receive(1000)).toBe(1000);
    expect(held.held).toBe(1);
    const dropped = new OutageGate(w, () => 'drop');
    expect(dropped.receive(10)).toBe(DROPPED);
    expect(dropped.dropped).toBe(1);
  });
});
