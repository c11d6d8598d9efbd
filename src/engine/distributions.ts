/**
 * Distributions for latency, service-time and inter-arrival models. A spec is
 * plain data (it comes from scenario files); compile() turns it into a
 * sampler closed over one random stream. Samplers do not allocate.
 */
import type { Rng } from './random.js';

export type DistributionSpec =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number; shift?: number }
  /** median = exp(mu); sigma is the log-space standard deviation. */
  | { dist: 'lognormal'; median: number; sigma: number; shift?: number; max?: number }
  /** Normal truncated to [min, max] by rejection. */
  | { dist: 'normal'; mean: number; sd: number; min?: number; max?: number }
  /** Piecewise-linear inverse CDF through (value, cumulative probability) points. */
  | { dist: 'empirical'; points: Array<[number, number]> };

export type Sampler = () => number;

export const DISTRIBUTION_NAMES = ['constant', 'uniform', 'exponential', 'lognormal', 'normal', 'empirical'] as const;

/**
 * Standard exponential and normal variates by the ziggurat method (G. Marsaglia
 * and W. W. Tsang, "The Ziggurat Method for Generating Random Variables",
 * Journal of Statistical Software 5(8), 2000), 256 layers each, with the
 * tables laid out as the Rust crate rand_distr lays them out. Exact, not an
 * approximation: the density is covered by 256 layers of equal area, and a
 * draw is a point in one of them, accepted at once when it falls inside the
 * curve's rectangle (over 98% of draws), else tested against the curve or
 * drawn from the tail. So most draws cost one uniform, a table read and a
 * multiplication, where inversion costs a logarithm and Box-Muller a
 * logarithm, a square root and a sine or cosine.
 *
 * One uniform gives both the layer (its top 8 bits; the normal's sign is the
 * next) and the point across it (the remaining 24 or 23 bits: layers never
 * share bits with the point, as in the 2000 paper's single-word form).
 */
const LAYERS = 256;

/** Layer edges X (decreasing; X[0] the base layer's width including its tail's share, X[LAYERS] = 0) and the density at each, F = f(X). */
interface ZigguratTables {
  x: Float64Array;
  f: Float64Array;
}

/** Tables for a decreasing density `f` with inverse `fInv`, tail start `r` and layer area `v`. */
function zigguratTables(r: number, v: number, f: (x: number) => number, fInv: (y: number) => number): ZigguratTables {
  const x = new Float64Array(LAYERS + 1);
  const fx = new Float64Array(LAYERS + 1);
  x[0] = v / f(r);
  x[1] = r;
  for (let i = 1; i < LAYERS - 1; i++) x[i + 1] = fInv(v / x[i] + f(x[i]));
  x[LAYERS] = 0;
  for (let i = 0; i < LAYERS; i++) fx[i] = f(x[i]);
  fx[LAYERS] = 1;
  return { x, f: fx };
}

/** The exponential's tail start and layer area for 256 layers (Marsaglia and Tsang 2000). */
const EXP_R = 7.69711747013104972;
const EXP = zigguratTables(EXP_R, 3.949659822581572e-3, (x) => Math.exp(-x), (y) => -Math.log(y));
const EXP_X = EXP.x;
const EXP_F = EXP.f;

/** The normal's (density exp(-x^2 / 2), unnormalised) for 256 layers. */
const NORM_R = 3.6541528853610088;
const NORM = zigguratTables(NORM_R, 0.00492867323399, (x) => Math.exp(-0.5 * x * x), (y) => Math.sqrt(-2 * Math.log(y)));
const NORM_X = NORM.x;
const NORM_F = NORM.f;

/** An exponential variate with mean 1 drawn from `rng`. */
export function standardExponential(rng: Rng): number {
  for (;;) {
    const w = rng() * LAYERS;
    const i = w | 0;
    const x = (w - i) * EXP_X[i];
    if (x < EXP_X[i + 1]) return x;
    // The base layer's tail: memoryless, so the tail start plus a fresh draw.
    if (i === 0) return EXP_R - Math.log(1 - rng());
    if (EXP_F[i] + (EXP_F[i + 1] - EXP_F[i]) * rng() < Math.exp(-x)) return x;
  }
}

/** A standard normal variate (mean 0, sd 1) drawn from `rng`. */
export function standardNormal(rng: Rng): number {
  for (;;) {
    const w = rng() * (2 * LAYERS);
    const j = w | 0;
    const i = j & (LAYERS - 1);
    const x = (w - j) * NORM_X[i];
    const sign = j < LAYERS ? 1 : -1;
    if (x < NORM_X[i + 1]) return sign * x;
    if (i === 0) {
      // The tail beyond NORM_R (Marsaglia 1964).
      let a: number;
      let b: number;
      do {
        a = -Math.log(1 - rng()) / NORM_R;
        b = -Math.log(1 - rng());
      } while (b + b < a * a);
      return sign * (NORM_R + a);
    }
    if (NORM_F[i] + (NORM_F[i + 1] - NORM_F[i]) * rng() < Math.exp(-0.5 * x * x)) return sign * x;
  }
}

export function exponential(rng: Rng, mean: number): number {
  return mean * standardExponential(rng);
}

export function bernoulli(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** Problems with a spec, as messages relative to the spec ('' if fine). */
export function checkDistribution(spec: DistributionSpec): string[] {
  const bad: string[] = [];
  const nonNeg = (name: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad.push(`${name} must be a number >= 0 (got ${JSON.stringify(v)})`);
  };
  switch (spec.dist) {
    case 'constant':
      nonNeg('value', spec.value);
      break;
    case 'uniform':
      nonNeg('min', spec.min);
      nonNeg('max', spec.max);
      if (spec.max < spec.min) bad.push(`max (${spec.max}) must be >= min (${spec.min})`);
      break;
    case 'exponential':
      nonNeg('mean', spec.mean);
      break;
    case 'lognormal':
      if (!(spec.median > 0)) bad.push(`median must be > 0 (got ${JSON.stringify(spec.median)})`);
      nonNeg('sigma', spec.sigma);
      break;
    case 'normal':
      nonNeg('sd', spec.sd);
      if (spec.min !== undefined && spec.max !== undefined && spec.max < spec.min) bad.push(`max (${spec.max}) must be >= min (${spec.min})`);
      if (spec.max !== undefined && spec.max < 0) bad.push(`max must be >= 0`);
      break;
    case 'empirical': {
      const pts = spec.points;
      if (!Array.isArray(pts) || pts.length < 2) {
        bad.push('points needs at least two [value, cumulativeProbability] pairs');
        break;
      }
      for (let i = 0; i < pts.length; i++) {
        const [v, p] = pts[i];
        if (!(v >= 0)) bad.push(`points[${i}] value must be >= 0`);
        if (!(p >= 0 && p <= 1)) bad.push(`points[${i}] probability must be in [0, 1]`);
        if (i > 0 && (p < pts[i - 1][1] || v < pts[i - 1][0])) bad.push(`points[${i}] must not decrease`);
      }
      if (pts[0][1] !== 0) bad.push('the first point must have probability 0');
      if (pts[pts.length - 1][1] !== 1) bad.push('the last point must have probability 1');
      break;
    }
    default:
      bad.push(`unknown distribution ${JSON.stringify((spec as { dist: unknown }).dist)}; expected one of ${DISTRIBUTION_NAMES.join(', ')}`);
  }
  return bad;
}

/** The theoretical mean of a spec (used by reports and capacity arithmetic). */
export function meanOf(spec: DistributionSpec): number {
  switch (spec.dist) {
    case 'constant':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'exponential':
      return (spec.shift ?? 0) + spec.mean;
    case 'lognormal':
      return (spec.shift ?? 0) + spec.median * Math.exp((spec.sigma * spec.sigma) / 2);
    case 'normal':
      return spec.mean;
    case 'empirical': {
      let m = 0;
      for (let i = 1; i < spec.points.length; i++) {
        const [v0, p0] = spec.points[i - 1];
        const [v1, p1] = spec.points[i];
        m += ((v0 + v1) / 2) * (p1 - p0);
      }
      return m;
    }
  }
}

/** Turn a spec into a sampler drawing from `rng`. Values are >= 0 ms, not rounded. */
export function compile(spec: DistributionSpec, rng: Rng): Sampler {
  const bad = checkDistribution(spec);
  if (bad.length) throw new RangeError(`bad ${spec.dist} distribution: ${bad.join('; ')}`);
  switch (spec.dist) {
    case 'constant': {
      const v = spec.value;
      return () => v;
    }
    case 'uniform': {
      const lo = spec.min;
      const span = spec.max - spec.min;
      return () => lo + span * rng();
    }
    case 'exponential': {
      const mean = spec.mean;
      const shift = spec.shift ?? 0;
      return () => shift + mean * standardExponential(rng);
    }
    case 'lognormal': {
      const mu = Math.log(spec.median);
      const sigma = spec.sigma;
      const shift = spec.shift ?? 0;
      const max = spec.max ?? Infinity;
      return () => {
        const v = shift + Math.exp(mu + sigma * standardNormal(rng));
        return v > max ? max : v;
      };
    }
    case 'normal': {
      const mean = spec.mean;
      const sd = spec.sd;
      const min = Math.max(0, spec.min ?? 0);
      const max = spec.max ?? Infinity;
      return () => {
        for (let tries = 0; tries < 64; tries++) {
          const v = mean + sd * standardNormal(rng);
          if (v >= min && v <= max) return v;
        }
        // Pathological truncation (mass far outside the bounds): clamp.
        return Math.min(max, Math.max(min, mean));
      };
    }
    case 'empirical': {
      const n = spec.points.length;
      const vs = new Float64Array(n);
      const ps = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        vs[i] = spec.points[i][0];
        ps[i] = spec.points[i][1];
      }
      return () => {
        const u = rng();
        // Binary search for the first p >= u.
        let lo = 1;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ps[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        const p0 = ps[lo - 1];
        const p1 = ps[lo];
        const f = p1 > p0 ? (u - p0) / (p1 - p0) : 0;
        return vs[lo - 1] + f * (vs[lo] - vs[lo - 1]);
      };
    }
  }
}
