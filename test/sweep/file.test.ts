/**
 * The sweep file: the plan it gives (points, runs, derived seeds), its
 * problems named at the sweep file's line, and the arithmetic the table and
 * the capacity report rest on (Student t intervals, the largest storm read
 * off a curve).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSweep, replicationSeed, SweepError } from '../../src/sweep/file.js';
import { summarise, tQuantile975 } from '../../src/sweep/table.js';
import { largestAbsorbed } from '../../src/sweep/capacity.js';
import { root } from './support.js';

const base = path.join(root, 'test/sweep/fixtures/tiny-base.yaml');

function sweepText(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-sweep-file-'));
  fs.copyFileSync(base, path.join(dir, 'tiny-base.yaml'));
  const file = path.join(dir, 'sweep.yaml');
  fs.writeFileSync(file, text);
  return file;
}

function problems(text: string): string[] {
  const file = sweepText(text);
  try {
    loadSweep(file);
  } catch (e) {
    expect(e).toBeInstanceOf(SweepError);
    return (e as SweepError).format().split('\n').map((l) => l.replace(file, 'sweep.yaml'));
  }
  throw new Error('no problem found');
}

describe('sweep file', () => {
  it('plans every combination times the replications, with seeds derived from the sweep seed', () => {
    const plan = loadSweep(path.join(root, 'scenarios/sweep-small.yaml'));
    expect(plan.parameters).toEqual(['events[0].share', 'components.dsp.throttlePerUserPerSecond']);
    expect(plan.points.map((p) => p.values)).toEqual([
      [0.25, 2], [0.25, 500], [0.5, 2], [0.5, 500], [0.75, 2], [0.75, 500], [1, 2], [1, 500],
    ]);
    expect(plan.runs).toHaveLength(16);
    const s = JSON.parse(plan.points[5].scenarioText);
    expect(s.events[0].share).toBe(0.75);
    expect(s.components.dsp.throttlePerUserPerSecond).toBe(500);
    expect(s.seed).toBeUndefined();
    // Each replication has one seed across the points; the replications differ.
    const seeds = plan.runs.map((r) => [r.replication, r.seed]);
    expect(new Set(seeds.filter(([r]) => r === 1).map(([, s]) => s)).size).toBe(1);
    expect(replicationSeed(11, 0)).toBe(plan.runs[0].seed);
    expect(replicationSeed(11, 1)).not.toBe(replicationSeed(11, 0));
    expect(replicationSeed(12, 0)).not.toBe(replicationSeed(11, 0));
    // The same file gives the same plan.
    expect(loadSweep(path.join(root, 'scenarios/sweep-small.yaml')).sweepId).toBe(plan.sweepId);
  });

  it('takes a list of points', () => {
    const plan = loadSweep(sweepText('base: tiny-base.yaml\nreplications: 3\npoints:\n  - { "events[0].share": 0.2, "events[0].duration": 10m }\n  - events[0].share: 0.4\n    events[0].duration: 15m\n'));
    expect(plan.points.map((p) => p.values)).toEqual([[0.2, '10m'], [0.4, '15m']]);
    expect(plan.runs.map((r) => r.id)).toEqual(['p001-r1', 'p001-r2', 'p001-r3', 'p002-r1', 'p002-r2', 'p002-r3']);
  });

  it('names a key path the scenario schema does not have at its line', () => {
    expect(problems('base: tiny-base.yaml\ngrid:\n  events[0].share: [0.5]\n  components.dsp.throttle: [1, 2]\n')[0]).toMatch(
      /^sweep\.yaml:4:3: components\.dsp\.throttle: no such scenario key "throttle" under components\.dsp \(expected .*throttlePerUserPerSecond/,
    );
    expect(problems('base: tiny-base.yaml\ngrid:\n  events[2].share: [0.5]\n')).toEqual([
      'sweep.yaml:3:3: events[2].share: the base scenario has no events[2] (a sweep sets a field of an item the base gives)',
    ]);
    expect(problems('base: tiny-base.yaml\ngrid:\n  estate.hubz: [1000]\n')[0]).toMatch(/^sweep\.yaml:3:3: estate\.hubz: no such scenario key "hubz" under estate \(expected hubs, /);
    expect(problems('base: tiny-base.yaml\npoints:\n  - events[0].code: 1\n')[0]).toMatch(/^sweep\.yaml:3:5: events\[0\]\.code: no such scenario key "code" under events\[0\]/);
  });

  it("names a value the scenario refuses at the value's line", () => {
    expect(problems('base: tiny-base.yaml\ngrid:\n  events[0].share:\n    - 0.5\n    - 1.5\n')).toEqual([
      'sweep.yaml:5:7: events[0].share: must be a number between 0 and 1 (got 1.5) (in the scenario of point 2)',
    ]);
  });

  it('refuses a file with neither or both of grid and points, an unknown key, a missing base', () => {
    expect(problems('base: tiny-base.yaml\n')).toEqual(['sweep.yaml:1:1: give either grid (every combination) or points (a list), not both and not neither']);
    expect(problems('base: tiny-base.yaml\ngrid: { "events[0].share": [1] }\nreplicas: 2\n')).toEqual(['sweep.yaml:3:1: replicas: unknown key "replicas"']);
    expect(problems('base: nothing.yaml\ngrid: { "events[0].share": [1] }\n')[0]).toBe('sweep.yaml:1:7: base: the base scenario has problems:');
    expect(problems('base: tiny-base.yaml\ngrid: { "events[0].share": [1] }\ncapacity: { storm: estate.hubs }\n')[0]).toMatch(/^sweep\.yaml:3:20: capacity\.storm: must be one of the varied keys/);
  });
});

describe('the arithmetic of the table and the report', () => {
  it('gives Student t 95 % intervals', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(4)).toBe(2.776);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
    const s = summarise([98, 100]);
    expect(s.mean).toBe(99);
    expect(s.sd).toBeCloseTo(Math.SQRT2, 9);
    expect(s.ciLow).toBeCloseTo(99 - (12.706 * Math.SQRT2) / Math.SQRT2, 9);
    expect(summarise([5])).toEqual({ n: 1, mean: 5, sd: null, ciLow: null, ciHigh: null });
  });

  it('reads the largest storm absorbed off the curve', () => {
    expect(largestAbsorbed([10, 20, 30], [100, 99.5, 90], 99)).toEqual({ kind: 'between', x: 20 + (0.5 / 9.5) * 10, from: 20, to: 30 });
    expect(largestAbsorbed([10, 20], [100, 99], 99)).toEqual({ kind: 'all', x: 20 });
    expect(largestAbsorbed([10, 20], [98, 97], 99)).toEqual({ kind: 'none', x: 10 });
  });
});
