/**
 * Poisson arrivals whose rate follows a daily shape hour by hour (UTC hour
 * of the simulated instant): the clock of every request stream and every
 * business process's starts. One draw per arrival, nothing allocated.
 */
import type { Rng } from '../../engine/random.js';
import { standardExponential } from '../../engine/distributions.js';
import { floorMod } from '../../engine/modulo.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Assumption: a future-dated request is executed between a minute and a day after it is sent. */
export const FUTURE_DATED_MIN = 60_000;
export const FUTURE_DATED_MAX = DAY;

/** Arrivals per ms in each hour of the day: `perDay` spread by the shape's weights. */
export function hourlyRates(perDay: number, shape: readonly number[]): Float64Array {
  const weight = shape.reduce((a, b) => a + b, 0);
  return Float64Array.from(shape, (w) => (perDay * w) / weight / HOUR);
}

/** The next arrival after `t` (ms since the epoch `epoch`) at the hourly `rates`; `end` or later when none falls before `end`. */
export function nextArrival(t: number, rates: Float64Array, rng: Rng, epoch: number, end: number): number {
  let e = standardExponential(rng);
  for (;;) {
    if (t >= end) return t;
    const inDay = floorMod(epoch + t, DAY);
    const h = Math.floor(inDay / HOUR);
    const hourEnd = t + (HOUR - (inDay - h * HOUR));
    const rate = rates[h];
    const span = hourEnd - t;
    if (rate * span >= e) return t + e / rate;
    e -= rate * span;
    t = hourEnd;
  }
}
