/**
 * The remainder of a time by a period, for clocks that ask which hour, day or
 * window an instant falls in. JavaScript's `%` on numbers that are not small
 * integers is a call out to C's fmod in V8's optimised code, about 50 ns
 * where a division, a floor and a multiplication take a few.
 */

/**
 * `x` modulo `m` in [0, m), for finite `x` and a positive integer `m` with
 * |x| below 2^53: the exact remainder (floor(x / m) * m is an exact multiple,
 * and subtracting it from an `x` of the same size loses nothing), as
 * `((x % m) + m) % m` gives it for integer `x`.
 */
export function floorMod(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  // The quotient rounded up to the next integer (x a hair below a multiple): one period back.
  if (r < 0) return r + m;
  return r < m ? r : r - m;
}
