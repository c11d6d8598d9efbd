import { describe, expect, it } from 'vitest';
import { floorMod } from '../../src/engine/modulo.js';
import { RandomStreams } from '../../src/engine/random.js';

const DAY = 86_400_000;
const WINDOW = 900_000;

describe('floorMod', () => {
  const rng = new RandomStreams(5).stream('modulo');

  it("is JavaScript's remainder for positive times, integer or not: exact, as fmod is", () => {
    for (let i = 0; i < 20_000; i++) {
      const x = 1.7e12 + rng() * 1e10;
      const whole = Math.floor(x);
      expect(floorMod(x, DAY)).toBe(x % DAY);
      expect(floorMod(whole, WINDOW)).toBe(whole % WINDOW);
      expect(floorMod(x, 2 ** 26)).toBe(x % 2 ** 26);
    }
  });

  it('is ((x % m) + m) % m for negative integers, in [0, m)', () => {
    for (let i = 0; i < 20_000; i++) {
      const x = -Math.floor(rng() * 1e13);
      const r = floorMod(x, DAY);
      expect(r).toBe(((x % DAY) + DAY) % DAY);
      expect(r >= 0 && r < DAY).toBe(true);
    }
  });

  it('at and a hair either side of a multiple', () => {
    const k = 20_468 * DAY;
    expect(floorMod(k, DAY)).toBe(0);
    const below = k - 2 ** -12; // one ulp of numbers near 1.8e12
    expect(below).toBeLessThan(k);
    expect(floorMod(below, DAY)).toBe(below % DAY);
    expect(floorMod(below, DAY)).toBeLessThan(DAY);
    const above = k + 2 ** -12;
    expect(floorMod(above, DAY)).toBe(2 ** -12);
    expect(floorMod(0, DAY)).toBe(0);
    expect(floorMod(-1, DAY)).toBe(DAY - 1);
  });
});
