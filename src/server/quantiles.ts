/**
 * Percentiles for the live metrics, two ways:
 *
 * - ExactValues keeps every value (a growable Float64Array) and computes
 *   percentiles as DuckDB's quantile_cont does (position p x (n - 1),
 *   linear interpolation between the two nearest values), so the figures a
 *   run settles on equal the batch pipeline's (src/metrics/sql/alerts.sql).
 *   Sorting is done on demand, at the end of a run.
 * - ApproxQuantiles is a histogram of signed logarithmic buckets (1% wide):
 *   constant memory, an answer in one walk, within about 1% of the exact
 *   value. Used while a run is going, and labelled approximate on the wire.
 */

/** Every value, for exact percentiles once the run has ended. */
export class ExactValues {
  private data = new Float64Array(1024);
  private sorted = true;
  n = 0;
  sum = 0;

  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
    this.sum += v;
    this.sorted = false;
  }

  /** Appends another's values (a region's into All). */
  pushAll(o: ExactValues): void {
    for (let i = 0; i < o.n; i++) this.push(o.data[i]);
  }

  /** quantile_cont: position p x (n - 1), linear interpolation; null when empty. */
  quantile(p: number): number | null {
    if (this.n === 0) return null;
    if (!this.sorted) {
      this.data.subarray(0, this.n).sort();
      this.sorted = true;
    }
    const pos = p * (this.n - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const a = this.data[lo];
    return lo === hi ? a : a + (this.data[hi] - a) * (pos - lo);
  }
}

/** Buckets per side: (1.01)^2100 is about 1.2e9 ms, two weeks, beyond any hop. */
const SIDE = 2100;
const LOG_STEP = Math.log(1.01);

/** A running percentile in constant memory, within about 1%. */
export class ApproxQuantiles {
  // [0, SIDE): negative values, largest magnitude first; SIDE: |v| < 1; (SIDE, 2 SIDE]: positive values.
  private readonly counts = new Float64Array(2 * SIDE + 1);
  n = 0;

  push(v: number): void {
    this.counts[bucket(v)]++;
    this.n++;
  }

  quantile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = p * (this.n - 1);
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b];
      if (seen > rank) return middle(b);
    }
    return middle(this.counts.length - 1);
  }
}

function bucket(v: number): number {
  const m = Math.abs(v);
  if (m < 1) return SIDE;
  const k = Math.min(SIDE - 1, Math.floor(Math.log(m) / LOG_STEP)) + 1;
  return v > 0 ? SIDE + k : SIDE - k;
}

/** The value a bucket stands for: the geometric middle of its bounds, whole milliseconds. */
function middle(b: number): number {
  if (b === SIDE) return 0;
  const k = Math.abs(b - SIDE) - 1;
  const m = Math.round(Math.exp((k + 0.5) * LOG_STEP));
  return b > SIDE ? m : -m;
}
