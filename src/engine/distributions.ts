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
 * Standard normal variates by Box-Muller, spending both values of each pair.
 * An object whose method the samplers call, rather than a closure they call:
 * V8 inlines the method into each sampler, and a lognormal draw (most of a
 * request's hops) costs about a tenth less.
 */
export class NormalPairs {
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly rng: Rng) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const rng = this.rng;
    let u = rng();
    while (u <= Number.MIN_VALUE) u = rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** Standard normal variate by Box-Muller, spending both values of each pair. */
export function normalSource(rng: Rng): Sampler {
  const z = new NormalPairs(rng);
  return () => z.next();
}

export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
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
      return () => shift - mean * Math.log(1 - rng());
    }
    case 'lognormal': {
      const mu = Math.log(spec.median);
      const sigma = spec.sigma;
      const shift = spec.shift ?? 0;
      const max = spec.max ?? Infinity;
      const z = new NormalPairs(rng);
      return () => {
        const v = shift + Math.exp(mu + sigma * z.next());
        return v > max ? max : v;
      };
    }
    case 'normal': {
      const mean = spec.mean;
      const sd = spec.sd;
      const min = Math.max(0, spec.min ?? 0);
      const max = spec.max ?? Infinity;
      const z = new NormalPairs(rng);
      return () => {
        for (let tries = 0; tries < 64; tries++) {
          const v = mean + sd * z.next();
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
