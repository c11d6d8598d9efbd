/**
 * Record ids are globally unique (seed 001 section 4.2, responseId): each run
 * spells them in a namespace drawn from the resolved scenario and its seed,
 * so runs of different scenarios or seeds share none, while the same
 * scenario and seed give the same ids byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { RunIds, mpanOf, runNamespace } from '../../src/dcc/ids.js';
import { runYaml, type Run } from '../support/run.js';

const YAML = (seed: number, hubs = 2000) => `
seed: ${seed}
duration: 2h
estate: { hubs: ${hubs} }
background:
  - { code: 8F3F, perHubPerDay: 2 }
`;

/** Every record id a run wrote: responseId, messageId, auditId, alertId, deliveryId. */
function ids(run: Run): string[] {
  return [
    ...run.jsonl('feeds/csp-north-rni.jsonl').map((r) => r.responseId),
    ...run.jsonl('feeds/csp-forward.jsonl').map((r) => r.messageId),
    ...run.jsonl('feeds/s1sp-audit-trail.jsonl').map((r) => r.auditId),
    ...run.jsonl('feeds/dsp-ast.jsonl').map((r) => r.alertId),
    ...run.jsonl('feeds/su-deliveries.jsonl').map((r) => r.deliveryId),
  ];
}

describe('RunIds', () => {
  it('spells ids in the run namespace: 8 hex digits of the resolved scenario', () => {
    const ns = runNamespace('{"seed":1}');
    expect(ns).toMatch(/^[0-9A-F]{8}$/);
    expect(runNamespace('{"seed":1}')).toBe(ns);
    expect(runNamespace('{"seed":2}')).not.toBe(ns);
    const r = new RunIds(ns);
    expect(r.sourceId(42)).toBe(`M${ns}-000000000042`);
    expect(r.alertId(7)).toBe(`A${ns}-000000000007`);
    expect(mpanOf(17, 5)).toMatch(/^17\d{11}$/);
  });
});

describe('ids across runs', () => {
  it('are the same for the same scenario and seed, and shared by no two different runs', async () => {
    const runs = [await runYaml(YAML(1)), await runYaml(YAML(1)), await runYaml(YAML(2)), await runYaml(YAML(1, 2001))];
    try {
      const [a, again, otherSeed, otherScenario] = runs.map(ids);
      expect(a.length).toBeGreaterThan(200);
      expect(new Set(a).size).toBe(a.length);
      expect(again).toEqual(a);
      for (const other of [otherSeed, otherScenario]) {
        const seen = new Set(a);
        expect(other.filter((id) => seen.has(id))).toEqual([]);
      }
    } finally {
      for (const r of runs) r.remove();
    }
  });
});
