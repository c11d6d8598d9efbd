/**
 * The request generators' shared lists of each region's hubs
 * (src/flows/region-hubs.ts): one list per region and kind,
 * the same hubs the estate lists, the prepayment one exactly the region's
 * premises in prepayment mode; and each hub's supplier and ESME beside it.
 */
import { describe, expect, it } from 'vitest';
import { buildEstate } from '../../../src/estate/index.js';
import { NETWORK_OPERATOR_AREAS } from '../../../src/dcc/areas.js';
import { REGIONS } from '../../../src/dcc/regions.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { PREMISES_STRIDE, RegionHubs } from '../../../src/flows/region-hubs.js';

describe('RegionHubs', () => {
  const s = parseScenario('seed: 3\nduration: 1h\nestate: { hubs: 5000 }\n', 'test.yaml');
  const estate = buildEstate(s.estate, s.seed, NETWORK_OPERATOR_AREAS, s.serviceUsers.filter((u) => u.role === 'supplier').map((u) => u.marketShare));

  it('lists each region once, as the estate does, and its prepayment premises', () => {
    const lists = new RegionHubs(estate);
    let total = 0;
    let prepaid = 0;
    for (let region = 0; region < REGIONS.length; region++) {
      const all = lists.of(region, false);
      expect([...all]).toEqual([...estate.hubsOfRegion(region)]);
      expect(lists.of(region, false)).toBe(all);
      const prepayment = lists.of(region, true);
      expect([...prepayment]).toEqual([...all].filter((h) => estate.isPrepayment(h)));
      expect(lists.of(region, true)).toBe(prepayment);
      total += all.length;
      prepaid += prepayment.length;
    }
    expect(total).toBe(estate.hubCount);
    expect(prepaid).toBeGreaterThan(0);
    expect(prepaid).toBeLessThan(total);
  });

  it('gives each listed hub its supplier and ESME beside it, in the same order', () => {
    const lists = new RegionHubs(estate);
    for (let region = 0; region < REGIONS.length; region++) {
      for (const prepaymentOnly of [false, true]) {
        const hubs = lists.of(region, prepaymentOnly);
        const premises = lists.premisesOf(region, prepaymentOnly);
        expect(premises.length).toBe(PREMISES_STRIDE * hubs.length);
        hubs.forEach((h, k) => {
          expect(premises[PREMISES_STRIDE * k]).toBe(h);
          expect(premises[PREMISES_STRIDE * k + 1]).toBe(estate.hubSupplier[h]);
          expect(premises[PREMISES_STRIDE * k + 2]).toBe(estate.esmeOf(h));
        });
        expect(lists.premisesOf(region, prepaymentOnly)).toBe(premises);
      }
    }
  });
});
