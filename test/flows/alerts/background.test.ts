/**
 * Background streams: the prepayment credit alerts come only from premises
 * in prepayment mode, at a rate per prepayment meter; every generator draws
 * from its own named stream, so adding one leaves another's alerts as they
 * were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEstate, indexOfEui, type Estate } from '../../../src/estate/index.js';
import { NETWORK_OPERATOR_AREAS } from '../../../src/dcc/areas.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { runYaml, type Rec, type Run } from '../../support/run.js';

const BASE = `
seed: 5
duration: 12h
estate: { hubs: 8000, prepaymentShare: 0.25, commissionedShare: 1 }
components: { dsp: { rejectionShare: 0 } }
background:
  - { code: 810D, perHubPerDay: 2 }
  - { code: 8F0F, perHubPerDay: 1 }
  - { code: 8F3F, perHubPerDay: 0.5 }
`;

function estateOf(yaml: string): Estate {
  const s = parseScenario(yaml, 'test.yaml');
  return buildEstate(s.estate, s.seed, NETWORK_OPERATOR_AREAS, s.serviceUsers.filter((u) => u.role === 'supplier').map((u) => u.marketShare));
}

const hubOf = (estate: Estate, deviceId: string) => {
  const d = indexOfEui(deviceId)!;
  return d.kind === 'hub' ? d.index : estate.deviceHub[d.index];
};

let run: Run;
let estate: Estate;
beforeAll(async () => {
  run = await runYaml(BASE);
  estate = estateOf(BASE);
});
afterAll(() => run.remove());

describe('prepayment alerts', () => {
  it('come only from meters in prepayment mode; the tamper alert from any', () => {
    const ast = run.jsonl('feeds/dsp-ast.jsonl');
    const prepaid = (r: Rec) => estate.isPrepayment(hubOf(estate, r.deviceId));
    const of = (code: string) => ast.filter((r) => r.alertCode === code);
    expect(of('810D').length).toBeGreaterThan(100);
    expect(of('810D').every(prepaid)).toBe(true);
    expect(of('8F0F').every(prepaid)).toBe(true);
    // 8F3F comes from every premises: about three in four of them are not prepayment.
    expect(of('8F3F').filter((r) => !prepaid(r)).length).toBeGreaterThan(of('8F3F').length / 2);
  });

  it('run at perHubPerDay per prepayment meter', () => {
    let meters = 0;
    for (let h = 0; h < estate.hubCount; h++) if (estate.isPrepayment(h)) meters++;
    const truth = run.jsonl('ground-truth.jsonl');
    const n = truth.filter((r) => r.alertCode === '810D').length;
    // Poisson: mean meters * 2 per day * 0.5 day; 5 standard deviations.
    const mean = meters * 2 * 0.5;
    expect(Math.abs(n - mean)).toBeLessThan(5 * Math.sqrt(mean));
  });
});

describe('one random stream per generator', () => {
  it("adding a generator leaves another generator's alerts unchanged", async () => {
    const more = await runYaml(BASE + `  - { code: 8F72, perHubPerDay: 3 }\nevents:\n  - { type: alertSurge, at: 1h, code: 8F3F, regions: [central], perHubPerDay: 20, duration: 1h }\n`);
    try {
      const alerts = (r: Run, code: string, event?: string) =>
        r.jsonl('ground-truth.jsonl')
          .filter((x) => x.alertCode === code && x.event === event)
          .map((x) => `${x.deviceId} ${x.trueConditionTimestamp}`)
          .sort();
      for (const code of ['810D', '8F0F', '8F3F']) {
        const before = alerts(run, code);
        expect(before.length, code).toBeGreaterThan(50);
        expect(alerts(more, code), code).toEqual(before);
      }
      expect(alerts(more, '8F72').length).toBeGreaterThan(50);
      expect(alerts(more, '8F3F', 'alertSurge#1').length).toBeGreaterThan(50);
    } finally {
      more.remove();
    }
  });
});
