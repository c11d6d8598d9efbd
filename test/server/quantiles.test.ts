/**
 * The live metrics' percentiles: exact ones interpolate as DuckDB's
 * quantile_cont (position p x (n - 1)), so the final figures can equal the
 * batch report's; running ones stay within their stated 1%.
 */
import { describe, expect, it } from 'vitest';
import { ApproxQuantiles, ExactValues } from '../../src/server/quantiles.js';

describe('ExactValues', () => {
  it('interpolates between the two nearest values, in any order of arrival', () => {
    const v = new ExactValues();
    for (const x of [7, 1, 10, 3, 9, 2, 5, 8, 4, 6]) v.push(x);
    expect(v.quantile(0.5)).toBe(5.5);
    // position 0.99 x 9 = 8.91: 9 + 0.91 x (10 - 9)
    expect(v.quantile(0.99)).toBeCloseTo(9.91, 12);
    expect(v.quantile(0)).toBe(1);
    expect(v.quantile(1)).toBe(10);
    v.push(-4);
    expect(v.quantile(0)).toBe(-4);
    expect(v.quantile(0.5)).toBe(5);
  });

  it('is empty until a value comes, and grows past its first block', () => {
    const v = new ExactValues();
    expect(v.quantile(0.5)).toBeNull();
    for (let i = 5000; i > 0; i--) v.push(i);
    expect(v.n).toBe(5000);
    expect(v.quantile(0.5)).toBe(2500.5);
    expect(v.sum).toBe((5000 * 5001) / 2);
  });
});

describe('ApproxQuantiles', () => {
  it('stays within about 1% of the exact percentile, negative values included', () => {
    const a = new ApproxQuantiles();
    const e = new ExactValues();
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const v = Math.round((x / 2147483648) ** 3 * 200_000) - 2000;
      a.push(v);
      e.push(v);
    }
    for (const p of [0.01, 0.5, 0.9, 0.99]) {
      const exact = e.quantile(p)!;
      expect(Math.abs(a.quantile(p)! - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.011 + 1);
    }
  });
});
