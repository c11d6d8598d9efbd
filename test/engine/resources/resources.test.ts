import { describe, expect, it } from 'vitest';
import { DROPPED, OutageGate, OutageWindows, PacedServer, Throttle } from '../../../src/engine/resources/index.js';

describe('PacedServer', () => {
  it('passes jobs at most at its capacity, in arrival order', () => {
    const s = new PacedServer(4); // one every 250 ms
    expect(s.admit(0)).toBe(0);
    expect(s.admit(0)).toBe(250);
    expect(s.busy(100)).toBe(true);
    expect(s.ahead(100)).toBe(2); // the job starting at 250, and itself
    expect(s.admit(100)).toBe(500);
    expect(s.backlog(100)).toBe(2); // 250 and 500 still to start
    expect(s.busy(2000)).toBe(false);
    expect(s.admit(2000)).toBe(2000); // queue drained meanwhile
    expect(s.queued).toBe(2);
    expect(s.maxWait).toBe(400);
  });

  it('is a pass-through when capacity is 0 (unlimited)', () => {
    const s = new PacedServer(0);
    for (let i = 0; i < 10; i++) expect(s.admit(7)).toBe(7);
    expect(s.backlog(7)).toBe(0);
    expect(s.busy(7)).toBe(false);
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

describe('OutageGate', () => {
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

describe('Throttle', () => {
  it('paces each key separately and numbers held jobs per episode', () => {
    const t = new Throttle(10, 2); // one per 100 ms per key
    expect(t.pass(0, 1000)).toBe(1000);
    expect(t.lastHeld).toBe(false);
    expect(t.pass(0, 1000)).toBe(1100);
    expect([t.lastHeld, t.lastSequence, t.lastAhead]).toEqual([true, 1, 1]);
    expect(t.pass(0, 1010)).toBe(1200);
    expect([t.lastSequence, t.lastAhead]).toEqual([2, 2]);
    // Another key is not held by key 0's queue.
    expect(t.pass(1, 1010)).toBe(1010);
    expect(t.lastHeld).toBe(false);
    // Key 0's queue drains by 1300: a new episode starts from sequence 1.
    expect(t.pass(0, 5000)).toBe(5000);
    expect(t.pass(0, 5000)).toBe(5100);
    expect(t.lastSequence).toBe(1);
    expect(t.heldFor(0)).toBe(3);
    expect(t.heldFor(1)).toBe(0);
    expect(t.maxWait).toBe(190);
  });

  it('never holds when the rate is 0 (no throttling)', () => {
    const t = new Throttle(0, 1);
    for (let i = 0; i < 5; i++) expect(t.pass(0, 42)).toBe(42);
    expect(t.lastHeld).toBe(false);
  });
});
