/**
 * A power outage is confirmed by each hub's own CSP, with that CSP's
 * ad1Threshold; whether a meter says 8F35 or 8F36 is the meter's fixed
 * 3-minute rule (seed 004 Alerts Management), whatever a CSP is set to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runYaml, type Run } from '../../support/run.js';

let run: Run;
beforeAll(async () => {
  run = await runYaml(`
seed: 9
duration: 2h
estate: { hubs: 6000, regions: { north: 0.5, south: 0.5 }, commissionedShare: 1 }
components:
  commsHub: { lastGaspSuccessShare: 1 }
  cspNorth: { ad1Threshold: 10m }
background: []
events:
  - { type: powerOutage, label: north, at: 20m, areas: [17], duration: 5m, restorationSpread: 0 }
  - { type: powerOutage, label: south, at: 20m, areas: [22], duration: 5m, restorationSpread: 0 }
`);
});
afterAll(() => run.remove());

describe('AD1 and the restoration alerts of a 5-minute outage', () => {
  it("raise AD1 where the hub's CSP threshold is 3 minutes (South), not where it is 10 (North)", () => {
    const ad1 = run.jsonl('feeds/dsp-ast.jsonl').filter((r) => r.alertCode === 'AD1');
    expect(ad1.length).toBeGreaterThan(50);
    expect(new Set(ad1.map((r) => r.region))).toEqual(new Set(['South']));
  });

  it('send 8F36 from every meter, whatever its CSP is set to', () => {
    const truth = run.jsonl('ground-truth.jsonl');
    for (const label of ['north', 'south']) {
      const restored = truth.filter((r) => r.event === label && r.alertCode !== 'AD1');
      expect(restored.length, label).toBeGreaterThan(50);
      expect(restored.every((r) => r.alertCode === '8F36'), label).toBe(true);
    }
  });
});
