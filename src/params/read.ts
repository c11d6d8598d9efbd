/**
 * Reading a parameter from a parsed scenario file (plain data, already
 * checked against the schema) into simulator units: durations to integer
 * milliseconds, distributions checked, a default where the file says
 * nothing. Problems go to the reporter with the path of the offending value;
 * nothing here knows about YAML or lines. Written to survive data the schema
 * rejected (those fields fall back to the default, not reported twice), so
 * one pass finds every problem.
 *
 * Each component's read function (src/network/) and the scenario's resolver
 * (src/scenario/resolve.ts) use one ParamReader.
 */
import { checkDistribution, DISTRIBUTION_NAMES, type DistributionSpec } from '../engine/distributions.js';
import type { OutageMode } from '../engine/resources/index.js';
import { parseDuration } from './duration.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];
/** `key`: the problem is the key itself (point at it rather than at its value). */
export type Reporter = (path: Path, message: string, where?: 'key' | 'value') => void;

/** Shares must sum to 1 within this. */
export const SHARE_TOLERANCE = 1e-6;
/** Distribution parameters that are times and so take duration strings. */
const TIME_PARAMS = ['value', 'min', 'max', 'mean', 'median', 'shift', 'sd'] as const;

const REQUIRED_PARAMS: Record<string, string[]> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  lognormal: ['median', 'sigma'],
  normal: ['mean', 'sd'],
  empirical: ['points'],
};

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The mapping `v`, or an empty one (the schema reported anything else). */
export const asObj = (v: unknown): Obj => (isObj(v) ? v : {});
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A sum of shares as messages show it. */
export const fmtSum = (x: number) => String(Number(x.toFixed(9)));

export class ParamReader {
  constructor(readonly report: Reporter) {}

  /** Milliseconds of a duration field, or `fallback` if absent or unusable. */
  duration(path: Path, v: unknown, fallback: number, opts: { positive?: boolean; whole?: boolean } = {}): number {
    if (v === undefined) return fallback;
    // Not a finite number or a string: the schema reported it.
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') return fallback;
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (e) {
      this.report(path, (e as Error).message);
      return fallback;
    }
    if (opts.positive && !(ms > 0)) {
      this.report(path, `must be a duration > 0 (got ${JSON.stringify(v)})`);
      return fallback;
    }
    // Simulator times are whole milliseconds.
    return opts.whole === false ? ms : Math.round(ms);
  }

  number(v: unknown, fallback: number): number {
    return isNum(v) ? v : fallback;
  }

  distribution(path: Path, v: unknown, fallback: DistributionSpec): DistributionSpec {
    // Not a mapping, or no known `dist`: the schema reported it.
    if (!isObj(v) || !(DISTRIBUTION_NAMES as readonly unknown[]).includes(v.dist)) return structuredClone(fallback);
    const spec: Obj = { dist: v.dist };
    let ok = true;
    for (const [k, val] of Object.entries(v)) {
      if (k === 'dist') continue;
      if ((TIME_PARAMS as readonly string[]).includes(k)) {
        if (typeof val !== 'number' && typeof val !== 'string') {
          ok = false;
          continue;
        }
        try {
          spec[k] = parseDuration(val);
        } catch (e) {
          this.report([...path, k], (e as Error).message);
          ok = false;
        }
      } else if (k === 'points' && Array.isArray(val)) {
        spec.points = val.map((p, i) => {
          if (!Array.isArray(p) || p.length !== 2 || (typeof p[0] !== 'number' && typeof p[0] !== 'string') || !isNum(p[1])) {
            ok = false;
            return [0, 0];
          }
          try {
            return [parseDuration(p[0]), p[1]];
          } catch (e) {
            this.report([...path, 'points', i, 0], (e as Error).message);
            ok = false;
            return [0, p[1]];
          }
        });
      } else {
        spec[k] = val;
      }
    }
    // A required parameter missing: the schema reported it.
    if (!ok || REQUIRED_PARAMS[spec.dist as string].some((k) => spec[k] === undefined)) return structuredClone(fallback);
    const problems = checkDistribution(spec as DistributionSpec);
    for (const p of problems) {
      // checkDistribution names the parameter first ("median must be > 0"); point at it.
      const m = /^(\w+)(?:\[(\d+)\])? ((?:must|value|probability) .*)$/.exec(p);
      if (m && m[1] in spec) {
        const sub: PathSegment[] = m[2] === undefined ? [m[1]] : [m[1], Number(m[2])];
        this.report([...path, ...sub], m[3]);
      } else {
        this.report(path, `${spec.dist}: ${p}`);
      }
    }
    return problems.length ? structuredClone(fallback) : (spec as DistributionSpec);
  }

  /** Shares that must sum to 1; `keys` absent from the object count as 0. */
  sumToOne(path: Path, shares: Record<string, number>): void {
    const sum = Object.values(shares).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
      const terms = Object.entries(shares)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(' + ');
      this.report(path, `shares must sum to 1 (got ${fmtSum(sum)}${terms ? `: ${terms}` : ''})`);
    }
  }

  /** 'hold' or 'drop', or `fallback`. */
  outageMode(v: unknown, fallback: OutageMode): OutageMode {
    return v === 'hold' || v === 'drop' ? v : fallback;
  }
}
