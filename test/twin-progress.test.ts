/**
 * A run reports progress however dense its events: a storm's burst (every
 * restoration within a few simulated minutes, after a long quiet spell that
 * let the slice of simulated time grow) is cut into slices of a bounded
 * number of events, so the progress line and signal handlers are never held
 * up for long. Counted in events, not timed.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/load.js';
import { runTwin } from '../src/twin.js';
import { MemorySink } from '../src/feeds/sink.js';

const SCENARIO = `
seed: 4
duration: 3h
estate: { hubs: 30000 }
background: []
output: { duisBodies: false }
events:
  - { type: powerOutage, at: 10m, regions: [north, central, south, smets1], share: 0.9, duration: 90m, restorationSpread: 2m }
`;

describe('progress during a storm', () => {
  it('comes at most every 100k events, also through the burst of restorations', async () => {
    const scenario = parseScenario(SCENARIO, 'progress.yaml');
    const samples: Array<{ events: number }> = [];
    const r = await runTwin(scenario, { outDir: 'unused', sink: new MemorySink(), onProgress: (p) => samples.push({ events: p.events }) });
    expect(r.events).toBeGreaterThan(200_000);
    let largest = samples[0].events;
    for (let i = 1; i < samples.length; i++) largest = Math.max(largest, samples[i].events - samples[i - 1].events);
    // (in one slice of simulated time, the restorations after the quiet hour are some 150k events)
    expect(largest).toBeLessThanOrEqual(100_000);
  });
});
