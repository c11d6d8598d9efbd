/**
 * The SRV catalogue against its sources: every SRV of seed 004 Table 1 and
 * those seed 002 names, the Target Response Times before and after
 * SECMP0053, and the retry rules of seed 002 section 3.5.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESPONSE_CODES, SRV_CATALOGUE, SRV_NUMBERS, isDeferred, srv, targetResponseTime } from '../../src/dcc/srvs.js';

// Seed 004, 2.3.2 Table 1, as printed there.
const TABLE_1 = ['8.11', '6.21', '8.1.1', '8.7.2', '6.20.1', '1.1.1', '6.8', '8.14.1', '6.23', '3.2', '3.5', '1.6', '2.2', '6.15.2', '2.1', '11.1', '11.3', '8.14.3', '8.14.4', '6.15.1', '6.5', '6.22'];
const ALSO = ['1.1.1', '2.2', '4.6.1', '4.8.1', '4.8.2', '4.8.3', '4.10', '5.1', '6.8', '6.14.1', '6.14.2', '6.23', '7.9', '8.14.1', '8.14.2'];
const DUIS = '../shared/duis/duis54.xsd';

describe('the SRV catalogue', () => {
  it('holds every SRV of seed 004 Table 1 and of seed 002, once each', () => {
    for (const n of [...TABLE_1, ...ALSO]) expect(SRV_NUMBERS).toContain(n);
    expect(new Set(SRV_NUMBERS).size).toBe(SRV_NUMBERS.length);
  });

  it.skipIf(!existsSync(DUIS))('spells every SRV as DUIS V5.4 does', () => {
    const xsd = readFileSync(DUIS, 'utf8');
    const start = xsd.indexOf('<xs:simpleType name="ServiceReferenceVariant">');
    const block = xsd.slice(start, xsd.indexOf('</xs:simpleType>', start));
    const known = new Set([...block.matchAll(/value="([^"]+)"/g)].map((m) => m[1]));
    for (const n of SRV_NUMBERS) expect(known.has(n) ? n : `${n} not in DUIS`).toBe(n);
  });

  it('gives 30 s on demand, 24 h to the deferred SRVs, and SECMP0053 changes them', () => {
    expect(targetResponseTime(srv('2.2'), false, false)).toBe(30_000);
    for (const n of ['6.14.1', '6.14.2', '7.9']) {
      expect(targetResponseTime(srv(n), false, false)).toBe(86_400_000);
      expect(targetResponseTime(srv(n), true, false)).toBe(30_000);
      expect(isDeferred(srv(n), false)).toBe(true);
      expect(isDeferred(srv(n), true)).toBe(false);
    }
    expect(targetResponseTime(srv('4.8.1'), false, false)).toBe(30_000);
    expect(targetResponseTime(srv('4.8.1'), true, false)).toBe(5_600_000);
    expect(targetResponseTime(srv('11.3'), false, true)).toBe(5 * 86_400_000);
  });

  it('retries 4.6.1 every 1840 s within 3900 s, and 4.8.2, 4.8.3, 4.10 at 40:40:40', () => {
    expect(srv('4.6.1').retry).toEqual({ intervals: [1_840_000, 1_840_000], maxCompletion: 3_900_000 });
    expect(srv('4.8.2').retry).toEqual({ intervals: [40_000, 40_000, 40_000], maxCompletion: 900_000 });
    expect(srv('4.8.3').retry?.maxCompletion).toBe(1_400_000);
    expect(srv('4.10').retry?.maxCompletion).toBe(2_600_000);
    // Every retry falls within the maximum completion time.
    for (const d of SRV_CATALOGUE) if (d.retry) expect(d.retry.intervals.reduce((a, b) => a + b, 0)).toBeLessThan(d.retry.maxCompletion);
  });

  it('counts only E201 and E212 against the DCC; authentication and User errors are excludable', () => {
    const counted = RESPONSE_CODES.filter((c) => c.failure && !c.excludable).map((c) => c.code);
    expect(counted).toEqual(['E201', 'E212']);
    expect(RESPONSE_CODES.filter((c) => c.excludable).map((c) => c.meaning)).toEqual(['authentication failure', 'User error (request failed DSP validation)']);
  });

  it('names an unknown SRV with the known ones', () => {
    expect(() => srv('9.99')).toThrow(/unknown SRV "9.99" \(known: 1.1.1, /);
  });

  it('cites a source for every entry', () => {
    for (const d of SRV_CATALOGUE) expect(d.source).toMatch(/seed 00[0-4]|DOMAIN\.md/);
  });
});
