import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/random.js';
import { checkDistribution, compile, meanOf, standardExponential, standardNormal, type DistributionSpec } from '../../src/engine/distributions.js';

function draw(spec: DistributionSpec, n = 200_000, seed = 1): Float64Array {
  const s = compile(spec, new RandomStreams(seed).stream('d'));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = s();
  return out;
}
const min = (xs: Float64Array) => xs.reduce((a, b) => Math.min(a, b), Infinity);
const max = (xs: Float64Array) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: Float64Array, q: number) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.floor(q * (s.length - 1))];
};

describe('distributions', () => {
  it('constant', () => {
    expect(draw({ dist: 'constant', value: 350 }, 10).every((v) => v === 350)).toBe(true);
  });

  it('uniform stays in range with the right mean', () => {
    const xs = draw({ dist: 'uniform', min: 100, max: 300 });
    expect(min(xs)).toBeGreaterThanOrEqual(100);
    expect(max(xs)).toBeLessThan(300);
    expect(mean(xs)).toBeCloseTo(200, 0);
  });

  it('exponential has its mean and median ln2 * mean', () => {
    const xs = draw({ dist: 'exponential', mean: 1000 });
    expect(Math.abs(mean(xs) - 1000)).toBeLessThan(10);
    expect(Math.abs(quantile(xs, 0.5) - 1000 * Math.LN2)).toBeLessThan(10);
  });

  it('lognormal has the given median and shift, and respects max', () => {
    const xs = draw({ dist: 'lognormal', median: 2000, sigma: 0.5, shift: 100 });
    expect(Math.abs(quantile(xs, 0.5) - 2100)).toBeLessThan(20);
    expect(Math.abs(mean(xs) - meanOf({ dist: 'lognormal', median: 2000, sigma: 0.5, shift: 100 }))).toBeLessThan(20);
    const capped = draw({ dist: 'lognormal', median: 2000, sigma: 1, max: 3000 });
    expect(max(capped)).toBe(3000);
  });

  it('normal is truncated to its bounds (and to >= 0)', () => {
    const xs = draw({ dist: 'normal', mean: 100, sd: 80, min: 50, max: 200 });
    expect(min(xs)).toBeGreaterThanOrEqual(50);
    expect(max(xs)).toBeLessThanOrEqual(200);
    const ys = draw({ dist: 'normal', mean: 10, sd: 50 });
    expect(min(ys)).toBeGreaterThanOrEqual(0);
    const zs = draw({ dist: 'normal', mean: 500, sd: 20 });
    expect(Math.abs(mean(zs) - 500)).toBeLessThan(1);
  });

  it('empirical follows its piecewise-linear CDF', () => {
    const spec: DistributionSpec = { dist: 'empirical', points: [[0, 0], [100, 0.5], [1100, 1]] };
    const xs = draw(spec);
    expect(Math.abs(quantile(xs, 0.5) - 100)).toBeLessThan(3);
    expect(Math.abs(quantile(xs, 0.75) - 600)).toBeLessThan(10);
    expect(Math.abs(mean(xs) - meanOf(spec))).toBeLessThan(5);
  });

  it('is reproducible for the same seed', () => {
    const spec: DistributionSpec = { dist: 'lognormal', median: 350, sigma: 0.2 };
    expect(draw(spec, 1000, 9)).toEqual(draw(spec, 1000, 9));
    expect(draw(spec, 1000, 9)).not.toEqual(draw(spec, 1000, 10));
  });

  it('reports bad parameters', () => {
    expect(checkDistribution({ dist: 'lognormal', median: -1, sigma: 0.2 })).toEqual(['median must be > 0 (got -1)']);
    expect(checkDistribution({ dist: 'uniform', min: 5, max: 1 })).toEqual(['max (1) must be >= min (5)']);
    expect(checkDistribution({ dist: 'weibull' } as unknown as DistributionSpec)[0]).toMatch(/unknown distribution "weibull"/);
    expect(checkDistribution({ dist: 'empirical', points: [[0, 0.1], [5, 1]] })).toEqual(['the first point must have probability 0']);
    expect(() => compile({ dist: 'exponential', mean: -3 }, Math.random)).toThrow(/mean must be a number >= 0/);
  });
});

/** Standard normal CDF through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** The Kolmogorov-Smirnov distance between the sample and `cdf`. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = cdf(s[i]);
    d = Math.max(d, c - i / s.length, (i + 1) / s.length - c);
  }
  return d;
}

describe('ziggurat variates', () => {
  const N = 1_000_000;
  /** The KS distance a sample of N from the right distribution exceeds with probability 1%. */
  const KS_1PCT = 1.628 / Math.sqrt(N);
  const sample = (f: (rng: () => number) => number, seed: number) => {
    const rng = new RandomStreams(seed).stream('ziggurat');
    return Float64Array.from({ length: N }, () => f(rng));
  };

  it('standardExponential follows 1 - exp(-x), into the tail beyond the last layer', () => {
    const xs = sample(standardExponential, 3);
    expect(ksDistance(xs, (x) => 1 - Math.exp(-x))).toBeLessThan(KS_1PCT);
    expect(min(xs)).toBeGreaterThanOrEqual(0);
    // Beyond r = 7.697 (the base layer's tail, drawn apart): exp(-r) = 4.54e-4, so about 454 of N (sd 21).
    const tail = xs.filter((x) => x > 7.69711747013104972).length;
    expect(Math.abs(tail - N * Math.exp(-7.69711747013104972))).toBeLessThan(4 * Math.sqrt(N * Math.exp(-7.69711747013104972)));
    // Past the largest layer edge too: P(X > 10) = 4.5e-5.
    expect(xs.some((x) => x > 10)).toBe(true);
  });

  it('standardNormal follows the normal CDF, symmetric, into both tails', () => {
    const xs = sample(standardNormal, 4);
    expect(ksDistance(xs, normalCdf)).toBeLessThan(KS_1PCT);
    expect(Math.abs(mean(xs))).toBeLessThan(4 / Math.sqrt(N));
    // Beyond |z| = r = 3.654 (the tail, drawn apart): 2 x (1 - Phi(r)) = 2.58e-4 of N, split between the sides.
    const p = 2 * (1 - normalCdf(3.6541528853610088));
    const hi = xs.filter((x) => x > 3.6541528853610088).length;
    const lo = xs.filter((x) => x < -3.6541528853610088).length;
    expect(Math.abs(hi + lo - N * p)).toBeLessThan(4 * Math.sqrt(N * p));
    expect(hi).toBeGreaterThan(N * p * 0.3);
    expect(lo).toBeGreaterThan(N * p * 0.3);
  });
});
