/**
 * The CSP's firmware distribution (src/flows/firmware/distribution.ts): the
 * batched model a big campaign runs agrees with the per-block model on a small
 * campaign, hubs keep to their CSP's block pace, and traffic that fills the
 * CSP holds firmware back.
 */
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../src/engine/simulator.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { PacedServer } from '../../../src/engine/resources/index.js';
import { CspDistributor, type DistributionMode } from '../../../src/flows/firmware/distribution.js';
import { DEFAULT_FIRMWARE, type FirmwareParams } from '../../../src/flows/firmware/params.js';

// Midnight UTC: the night's full pace for the first eight hours.
const EPOCH = Date.UTC(2026, 0, 15);

interface Outcome {
  at: Float64Array;
  ok: Uint8Array;
  lost: Int32Array;
  blocks: number;
}

/** `n` transfers of `blocks` blocks handed over one a second from t = 0; `load` jobs put through the CSP at `loadAt`. */
function distribute(mode: DistributionMode, p: FirmwareParams, n: number, blocks: number, seed: string, load = 0, loadAt = 0): Outcome {
  const sim = new Simulator(1024);
  const server = new PacedServer(1000);
  const at = new Float64Array(n).fill(NaN);
  const ok = new Uint8Array(n);
  const d = new CspDistributor(sim, 'cspNorth', server, 1000, 10_000, p, EPOCH, new RandomStreams(seed).stream('d'), mode, (id, good, t) => {
    at[id] = t;
    ok[id] = good ? 1 : 0;
  });
  d.reserve(n);
  const kStart = sim.on('start', (id) => d.start(id, blocks));
  for (let i = 0; i < n; i++) sim.at(i * 1000, kStart, i);
  const kLoad = sim.on('load', () => {
    for (let i = 0; i < load; i++) server.admit(sim.now);
  });
  if (load > 0) sim.at(loadAt, kLoad);
  sim.run();
  const lost = new Int32Array(n);
  for (let i = 0; i < n; i++) lost[i] = d.lost(i);
  return { at, ok, lost, blocks: d.counts.blocks };
}

const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;

describe('CSP firmware distribution', () => {
  it('with no lost blocks, the batched and the per-block models end every transfer at the same millisecond', () => {
    const p = { ...DEFAULT_FIRMWARE, blockLoss: 0 };
    const block = distribute('block', p, 50, 40, 's');
    const batch = distribute('batch', p, 50, 40, 's');
    expect(Array.from(batch.at)).toEqual(Array.from(block.at));
    expect(Array.from(batch.ok).every((x) => x === 1)).toBe(true);
    // A hub takes one block per 10 s on CSP North at night: 40 blocks, 400 s, from the first tick at or
    // after hand-over (ticks every 10 s from the first hand-over; one at the same time runs after it).
    for (let i = 0; i < 50; i++) {
      const startTick = Math.max(10_000, Math.ceil((i * 1000) / 10_000) * 10_000);
      expect(block.at[i]).toBe(startTick + 400_000);
    }
  });

  it('with lost blocks, the two models agree in distribution (lost blocks and completion times)', () => {
    const p = { ...DEFAULT_FIRMWARE, blockLoss: 0.05 };
    const block = distribute('block', p, 400, 100, 'a');
    const batch = distribute('batch', p, 400, 100, 'b');
    const lostBlock = Array.from(block.lost).reduce((s, x) => s + x, 0) / 400;
    const lostBatch = Array.from(batch.lost).reduce((s, x) => s + x, 0) / 400;
    // Expected lost blocks per transfer: 100 * 0.05 / 0.95 = 5.26.
    expect(lostBlock).toBeGreaterThan(4.5);
    expect(lostBlock).toBeLessThan(6.1);
    expect(Math.abs(lostBatch - lostBlock)).toBeLessThan(0.8);
    expect(Math.abs(mean(batch.at) - mean(block.at)) / mean(block.at)).toBeLessThan(0.01);
  });

  it('gives a hub up when one block is lost blockAttempts times in a row, in both models at the same rate', () => {
    const p = { ...DEFAULT_FIRMWARE, blockLoss: 0.3, blockAttempts: 3 };
    // Chance a 20-block transfer is given up: 1 - (1 - 0.3^3)^20 = 0.42.
    const failed = (o: Outcome) => Array.from(o.ok).filter((x) => x === 0).length / o.ok.length;
    const block = failed(distribute('block', p, 400, 20, 'c'));
    const batch = failed(distribute('batch', p, 400, 20, 'd'));
    expect(block).toBeGreaterThan(0.34);
    expect(block).toBeLessThan(0.5);
    expect(Math.abs(batch - block)).toBeLessThan(0.09);
  });

  it('waits while alerts and requests fill the CSP: a storm of jobs delays every transfer in flight', () => {
    const p = { ...DEFAULT_FIRMWARE, blockLoss: 0 };
    const quiet = distribute('batch', p, 20, 40, 'e');
    // 300,000 jobs at 1000/s keep the CSP busy for 300 s from t = 60 s.
    const storm = distribute('batch', p, 20, 40, 'e', 300_000, 60_000);
    for (let i = 0; i < 20; i++) expect(storm.at[i]).toBeGreaterThanOrEqual(quiet.at[i] + 290_000);
  });

  it('holds back a hub without power until it is back', () => {
    for (const mode of ['block', 'batch'] as const) {
      const sim = new Simulator(64);
      let done = NaN;
      const d = new CspDistributor(sim, 'cspNorth', new PacedServer(0), 0, 10_000, { ...DEFAULT_FIRMWARE, blockLoss: 0 }, EPOCH, new RandomStreams('g').stream('d'), mode, (_id, _ok, t) => (done = t));
      // Off power from 100 s to 500 s.
      d.blocked = () => sim.now > 100_000 && sim.now < 500_000;
      d.reserve(1);
      d.start(0, 40);
      sim.run();
      // 40 blocks at one per 10 s from the first tick (410 s with power throughout); the slots of
      // the ticks at 110 s .. 490 s (39) pass without a block.
      if (mode === 'block') expect(done, mode).toBe(410_000 + 39 * 10_000);
      else expect(done, mode).toBeGreaterThanOrEqual(500_000);
      expect(done, mode).toBeLessThanOrEqual(810_000);
    }
  });

  it('sends at half pace in the working day', () => {
    const p = { ...DEFAULT_FIRMWARE, blockLoss: 0, dayPace: 0.5 };
    const sim = new Simulator(64);
    const server = new PacedServer(0);
    let done = NaN;
    // 09:00 UTC: the working day.
    const d = new CspDistributor(sim, 'cspNorth', server, 0, 10_000, p, EPOCH - 9 * 3_600_000 + 24 * 3_600_000, new RandomStreams('f').stream('d'), 'batch', (_id, _ok, t) => (done = t));
    d.reserve(1);
    d.start(0, 30);
    sim.run();
    // 30 blocks at one per 20 s, after the first tick.
    expect(done).toBe(10_000 + 600_000);
  });
});
