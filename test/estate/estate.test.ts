import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildEstate,
  cumulative,
  pick,
  estateSummary,
  Estate,
  EstateError,
  ESME,
  GSME,
  GPF,
  PPMID,
  IHD,
  HUB_GAS,
  HUB_PPMID,
  HUB_IHD,
  HUB_COMMISSIONED,
  HUB_PREPAYMENT,
  DEVICE_COMMISSIONED,
  FIRMWARE_NONE,
  REP_ID_MIN,
  REP_ID_PRIME,
} from '../../src/estate/index.js';
import { NETWORK_OPERATOR_AREAS } from '../../src/dcc/areas.js';
import { CENTRAL, NORTH, SMETS1, SOUTH } from '../../src/dcc/regions.js';
import { AREAS, CENTRAL_AREAS, NORTH_AREAS, SOUTH_AREAS, config, expectBinomial } from './fixtures.js';

const N = 200_000;

function hashOf(e: Estate): string {
  const h = createHash('sha256');
  for (const a of [e.hubRegion, e.hubS1sp, e.hubArea, e.hubRepId, e.hubFirmware, e.hubFlags, e.hubSupplier, e.hubFirstDevice, e.deviceType, e.deviceHub, e.deviceFirmware, e.deviceFlags]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

describe('cumulative shares', () => {
  it('draws each index over exactly its share of [0, 1) and never a zero-weight one', () => {
    const cum = cumulative([0, 1, 0, 3, 0])!;
    // Shares 1/4 and 3/4; the last positive entry catches rounding.
    expect(Array.from(cum)).toEqual([0, 0.25, 0.25, Infinity, Infinity]);
    expect(pick(cum, 0)).toBe(1);
    expect(pick(cum, 0.2499)).toBe(1);
    expect(pick(cum, 0.25)).toBe(3);
    expect(pick(cum, 0.9999999)).toBe(3);
    expect(cumulative([0, 0])).toBeNull();
  });
});

describe('estate of 200k hubs', () => {
  let e: Estate;
  beforeAll(() => {
    e = buildEstate(config(), 42, AREAS, [0.5, 0.3, 0.2]);
  });

  it('has region counts matching the shares', () => {
    const counts = [0, 0, 0, 0];
    for (let h = 0; h < e.hubCount; h++) counts[e.hubRegion[h]]++;
    expect(e.hubCount).toBe(N);
    expectBinomial(counts[NORTH], N, 0.26);
    expectBinomial(counts[CENTRAL], N, 0.32);
    expectBinomial(counts[SOUTH], N, 0.26);
    expectBinomial(counts[SMETS1], N, 0.16);
    expect(Array.from(e.regionHubCounts)).toEqual(counts);
  });

  it('puts every CSP hub in an area of its region, SMETS1 hubs anywhere by weight', () => {
    const ofRegion = [NORTH_AREAS, CENTRAL_AREAS, SOUTH_AREAS];
    const smets1ByArea = new Map<number, number>();
    let smets1 = 0;
    for (let h = 0; h < e.hubCount; h++) {
      const r = e.hubRegion[h];
      if (r === SMETS1) {
        smets1++;
        smets1ByArea.set(e.hubArea[h], (smets1ByArea.get(e.hubArea[h]) ?? 0) + 1);
      } else if (!ofRegion[r].includes(e.hubArea[h])) {
        throw new Error(`hub ${h} in region ${r} sits in area ${e.hubArea[h]}`);
      }
    }
    // Area 17 (North Scotland) has weight 0.8 of the North's 9.1.
    const north17 = e.hubsOfAreas([17]).length;
    expectBinomial(north17 - (smets1ByArea.get(17) ?? 0), e.regionHubCounts[NORTH], 0.8 / 9.1);
    // Area 10 (Eastern) has weight 3.7 of all 31.8 for SMETS1 hubs.
    expectBinomial(smets1ByArea.get(10) ?? 0, smets1, 3.7 / 31.8);
    expect(smets1ByArea.size).toBe(14);
  });

  it('lays devices out in CSR order, each pointing back into its hub range', () => {
    const first = e.hubFirstDevice;
    expect(first[0]).toBe(0);
    expect(first[e.hubCount]).toBe(e.deviceCount);
    let gas = 0, ppmid = 0, ihd = 0;
    for (let h = 0; h < e.hubCount; h++) {
      const f = e.hubFlags[h];
      const expected = [ESME];
      if (f & HUB_GAS) (expected.push(GSME, GPF), gas++);
      if (f & HUB_PPMID) (expected.push(PPMID), ppmid++);
      if (f & HUB_IHD) (expected.push(IHD), ihd++);
      const got = Array.from(e.deviceType.subarray(first[h], first[h + 1]));
      if (got.join() !== expected.join()) throw new Error(`hub ${h}: devices ${got} but flags say ${expected}`);
    }
    for (let d = 0; d < e.deviceCount; d++) {
      const h = e.deviceHub[d];
      if (!(first[h] <= d && d < first[h + 1])) throw new Error(`device ${d} names hub ${h} outside its range`);
    }
    expect(e.deviceCount).toBe(N + 2 * gas + ppmid + ihd);
    expectBinomial(gas, N, 0.75);
    expectBinomial(ppmid, N, 0.05);
    expectBinomial(ihd, N, 0.45);
  });

  it('gives every CSP North hub a unique 10-digit REP ID and no other hub one', () => {
    const north = e.hubsOfRegion(NORTH);
    const ids = new Float64Array(north.length);
    north.forEach((h, i) => (ids[i] = e.hubRepId[h]));
    ids.sort();
    expect(ids[0]).toBeGreaterThanOrEqual(1_000_000_000);
    expect(ids[ids.length - 1]).toBeLessThanOrEqual(4_294_967_295);
    for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) throw new Error(`REP ID ${ids[i]} given twice`);
    for (let h = 0; h < e.hubCount; h++) {
      if (e.hubRegion[h] !== NORTH && e.hubRepId[h] !== 0) throw new Error(`non-North hub ${h} has REP ID ${e.hubRepId[h]}`);
      if (e.hubRegion[h] === NORTH && String(e.hubRepId[h]).length !== 10) throw new Error(`REP ID ${e.hubRepId[h]} is not 10 digits`);
    }
  });

  it('uses a prime modulus that keeps REP IDs within 32 bits', () => {
    let prime = REP_ID_PRIME % 2 === 1;
    for (let d = 3; prime && d * d <= REP_ID_PRIME; d += 2) if (REP_ID_PRIME % d === 0) prime = false;
    expect(prime).toBe(true);
    expect(REP_ID_MIN + REP_ID_PRIME - 1).toBeLessThanOrEqual(0xffffffff);
  });

  it('gives the same arrays for the same seed and different ones for another seed', () => {
    const again = buildEstate(config(), 42, AREAS, [0.5, 0.3, 0.2]);
    expect(hashOf(again)).toBe(hashOf(e));
    const other = buildEstate(config(), 43, AREAS, [0.5, 0.3, 0.2]);
    expect(hashOf(other)).not.toBe(hashOf(e));
  });

  it('keeps one attribute\'s draws when another share changes', () => {
    const moreGas = buildEstate(config({ gasShare: 0.2 }), 42, AREAS, [0.5, 0.3, 0.2]);
    expect(Buffer.compare(Buffer.from(moreGas.hubRegion.buffer), Buffer.from(e.hubRegion.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(moreGas.hubRepId.buffer), Buffer.from(e.hubRepId.buffer))).toBe(0);
  });

  it('draws the payment mode from its own stream: a new prepayment share moves no other attribute', () => {
    const more = buildEstate(config({ prepaymentShare: 0.6 }), 42, AREAS, [0.5, 0.3, 0.2]);
    expectBinomial(estateSummary(more).prepayment, N, 0.6);
    const others = (x: typeof e) => Buffer.from(Uint8Array.from(x.hubFlags, (f) => f & ~HUB_PREPAYMENT));
    expect(Buffer.compare(others(more), others(e))).toBe(0);
    expect(Buffer.compare(Buffer.from(more.hubSupplier.buffer), Buffer.from(e.hubSupplier.buffer))).toBe(0);
    for (let h = 0; h < 1000; h++) expect(more.isPrepayment(h)).toBe((more.hubFlags[h] & HUB_PREPAYMENT) !== 0);
  });

  it('draws suppliers, S1SPs, commissioning and firmware by their shares', () => {
    const s = estateSummary(e);
    expectBinomial(s.bySupplier[0], N, 0.5);
    expectBinomial(s.bySupplier[2], N, 0.2);
    expect(s.byS1sp.length).toBe(3);
    expectBinomial(s.byS1sp[1], s.byRegion.smets1, 1 / 3);
    expectBinomial(s.commissioning.commissioned, N, 0.9);
    expectBinomial(s.prepayment, N, 0.2);
    let hubV11 = 0, esme33 = 0;
    for (let h = 0; h < e.hubCount; h++) if (e.hubFirmware[h] === 1) hubV11++;
    expect(e.firmwareVersions.hub).toEqual(['1.0', '1.1']);
    expectBinomial(hubV11, N, 0.75);
    for (let d = 0; d < e.deviceCount; d++) {
      const t = e.deviceType[d];
      const h = e.deviceHub[d];
      if (t === ESME && e.deviceFirmware[d] === 1) esme33++;
      if (t === GPF && e.deviceFirmware[d] !== e.hubFirmware[h]) throw new Error(`GPF ${d} does not run its hub's firmware`);
      if (t === GSME && e.deviceFirmware[d] !== 0) throw new Error(`GSME ${d} has version ${e.deviceFirmware[d]} of a one-version mix`);
      if (t === IHD && e.deviceFirmware[d] !== FIRMWARE_NONE) throw new Error(`IHD ${d} has a managed firmware version`);
      const devCommissioned = (e.deviceFlags[d] & DEVICE_COMMISSIONED) !== 0;
      if (devCommissioned !== ((e.hubFlags[h] & HUB_COMMISSIONED) !== 0)) throw new Error(`device ${d} commissioning differs from hub ${h}`);
    }
    expectBinomial(esme33, N, 0.6);
  });

  it('summarises counts consistently with the arrays', () => {
    const s = estateSummary(e);
    expect(s.hubs).toBe(N);
    expect(s.devices).toBe(e.deviceCount);
    expect(Object.values(s.byRegion).reduce((a, b) => a + b, 0)).toBe(N);
    expect(Object.keys(s.byArea)).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23']);
    expect(Object.values(s.byArea).reduce((a, b) => a + b, 0)).toBe(N);
    expect(s.byArea['17']).toBe(e.areaHubCounts[17]);
    expect(s.byDeviceType.ESME).toBe(N);
    expect(s.byDeviceType.GSME).toBe(s.byDeviceType.GPF);
    expect(Object.values(s.byDeviceType).reduce((a, b) => a + b, 0)).toBe(e.deviceCount);
    expect(s.commissioning.commissioned + s.commissioning.installedAndLeft).toBe(N);
    expect(s.poweredOff).toBe(0);
  });
});

describe('queries', () => {
  const e = buildEstate(config({ hubs: 20_000 }), 7, AREAS, 5);

  it('lists the hubs of regions and areas in ascending order', () => {
    const north = e.hubsOfRegion(NORTH);
    const expected: number[] = [];
    for (let h = 0; h < e.hubCount; h++) if (e.hubRegion[h] === NORTH) expected.push(h);
    expect(Array.from(north)).toEqual(expected);
    const cs = e.hubsOfRegions([CENTRAL, SOUTH, CENTRAL]);
    expect(cs.length).toBe(e.regionHubCounts[CENTRAL] + e.regionHubCounts[SOUTH]);
    expect(Array.from(cs).every((h, i) => (e.hubRegion[h] === CENTRAL || e.hubRegion[h] === SOUTH) && (i === 0 || h > cs[i - 1]))).toBe(true);
    const a = e.hubsOfAreas([17, 18, 17, 99]);
    const exp2: number[] = [];
    for (let h = 0; h < e.hubCount; h++) if (e.hubArea[h] === 17 || e.hubArea[h] === 18) exp2.push(h);
    expect(Array.from(a)).toEqual(exp2);
  });

  it('finds a hub\'s ESME and its other devices', () => {
    for (let h = 0; h < 1000; h++) {
      expect(e.deviceType[e.esmeOf(h)]).toBe(ESME);
      expect(e.deviceHub[e.esmeOf(h)]).toBe(h);
      const gpf = e.deviceOf(h, GPF);
      expect(gpf >= 0).toBe((e.hubFlags[h] & HUB_GAS) !== 0);
      if (gpf >= 0) expect(e.deviceType[gpf]).toBe(GPF);
      expect(e.deviceOf(h, IHD) >= 0).toBe((e.hubFlags[h] & HUB_IHD) !== 0);
    }
  });

  it('switches power per hub without touching other flags', () => {
    const flags = e.hubFlags[5];
    expect(e.isPowered(5)).toBe(true);
    e.setPowered(5, false);
    expect(e.isPowered(5)).toBe(false);
    expect(e.isPowered(4)).toBe(true);
    expect(estateSummary(e).poweredOff).toBe(1);
    e.setPowered(5, true);
    expect(e.hubFlags[5]).toBe(flags);
  });

  it('shares hubs equally among a number of suppliers', () => {
    const s = estateSummary(e);
    expect(s.bySupplier.length).toBe(5);
    for (const c of s.bySupplier) expectBinomial(c, 20_000, 0.2);
  });

  it('adds a firmware campaign\'s new version to the table once', () => {
    expect(e.firmwareIndex('esme', '3.3')).toBe(1);
    expect(e.firmwareIndex('esme', '4.0')).toBe(2);
    expect(e.firmwareIndex('esme', '4.0')).toBe(2);
    expect(e.firmwareVersions.esme).toEqual(['3.2', '3.3', '4.0']);
  });
});

describe('small estates computed by hand', () => {
  it('gives ten all-gas North premises thirty devices, all commissioned', () => {
    const e = buildEstate(
      config({ hubs: 10, regionShares: { north: 1, central: 0, south: 0, smets1: 0 }, gasShare: 1, ppmidShare: 0, ihdShare: 0, commissionedShare: 1 }),
      1,
      AREAS,
    );
    const s = estateSummary(e);
    expect(s.devices).toBe(30);
    expect(s.byDeviceType).toEqual({ ESME: 10, GSME: 10, GPF: 10, PPMID: 0, IHD: 0 });
    expect(s.byRegion).toEqual({ north: 10, central: 0, south: 0, smets1: 0 });
    expect(s.commissioning).toEqual({ commissioned: 10, installedAndLeft: 0 });
    expect(Array.from(e.hubFirstDevice)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    // Consecutive REP IDs differ by the same step modulo the prime: the affine walk.
    const step = (e.hubRepId[1] - e.hubRepId[0] + REP_ID_PRIME) % REP_ID_PRIME;
    for (let h = 2; h < 10; h++) expect((e.hubRepId[h] - e.hubRepId[h - 1] + REP_ID_PRIME) % REP_ID_PRIME).toBe(step);
  });

  it('gives a fully equipped premises all five devices, each with its firmware table', () => {
    const e = buildEstate(config({ hubs: 2, gasShare: 1, ppmidShare: 1, ihdShare: 1, commissionedShare: 0 }), 1, AREAS);
    expect(Array.from(e.deviceType)).toEqual([ESME, GSME, GPF, PPMID, IHD, ESME, GSME, GPF, PPMID, IHD]);
    expect(Array.from(e.deviceHub)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect([0, 1, 2, 3, 4].map((d) => e.deviceFirmwareKind(d))).toEqual(['esme', 'gsme', 'hub', 'ppmid', null]);
    expect(Array.from(e.deviceFlags)).toEqual(new Array(10).fill(0));
    expect(e.devicesOf(1)).toBe(5);
  });

  it('builds an empty estate', () => {
    const e = buildEstate(config({ hubs: 0 }), 1, AREAS);
    expect(e.hubCount).toBe(0);
    expect(e.deviceCount).toBe(0);
    expect(Array.from(e.hubFirstDevice)).toEqual([0]);
  });

  it('draws only from regions and areas with a positive share', () => {
    const e = buildEstate(
      config({ hubs: 5000, regionShares: { north: 0, central: 0, south: 1, smets1: 0 } }),
      3,
      AREAS.map((a) => (a.id === 19 ? { ...a, weight: 0 } : a)),
    );
    expect(e.regionHubCounts[SOUTH]).toBe(5000);
    expect(e.areaHubCounts[19]).toBe(0);
    expect(e.areaHubCounts[12] + e.areaHubCounts[20] + e.areaHubCounts[22]).toBe(5000);
  });
});

describe('with the scenario\'s area table', () => {
  it('places North hubs in CSP North\'s areas only', () => {
    const e = buildEstate(config({ hubs: 20_000 }), 5, NETWORK_OPERATOR_AREAS, 5);
    const areas = new Set(Array.from(e.hubsOfRegion(NORTH), (h) => e.hubArea[h]));
    expect([...areas].sort()).toEqual(NORTH_AREAS);
  });
});

describe('bad input', () => {
  const problems = (f: () => unknown): string[] => {
    try {
      f();
    } catch (err) {
      if (err instanceof EstateError) return err.problems;
      throw err;
    }
    throw new Error('no EstateError thrown');
  };

  it('names every bad field', () => {
    expect(problems(() => buildEstate(config({ hubs: -5, gasShare: 1.5 }), 1, AREAS))).toEqual([
      'estate.hubs: must be an integer in 0..100000000 (got -5)',
      'estate.gasShare: must be a number in [0, 1] (got 1.5)',
    ]);
    expect(problems(() => buildEstate(config({ regionShares: { north: 0.5, central: 0.5, south: 0, smets1: 0, east: 0.1 } as never }), 1, AREAS))).toEqual([
      'estate.regionShares.east: unknown region (known: north, central, south, smets1)',
    ]);
  });

  it('refuses a region with hubs but no area, and a broken area table', () => {
    const noCentral = AREAS.filter((a) => a.region !== 'central');
    expect(problems(() => buildEstate(config(), 1, noCentral))).toEqual([
      'estate.regionShares.central: region has hubs but no network-operator area with a positive weight',
    ]);
    expect(problems(() => buildEstate(config(), 1, [...AREAS, { id: 17, region: 'east' as never, weight: -1 }]))).toEqual([
      'areas[14].id: area 17 is listed twice',
      'areas[14].region: must be north, central or south (got "east")',
      'areas[14].weight: must be a number >= 0 (got -1)',
    ]);
  });

  it('gives a readable message', () => {
    expect(() => buildEstate(config({ s1sps: 0 }), 1, AREAS)).toThrow(
      'invalid estate:\n  estate.s1sps: must be an integer in 1..256 when SMETS1 hubs exist (got 0)',
    );
  });
});
