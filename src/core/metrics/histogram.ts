import { MetricsError } from './errors';

/** Equal-width bin counts: `counts[i]` holds values in [edges[i], edges[i+1]); the last bin is closed. */
export interface Histogram {
  counts: number[];
  /** bins + 1 increasing edges. */
  edges: number[];
}

/**
 * Histogram as numpy's `histogram(values, bins, range)`: equal-width bins over `range` (default: the
 * min and max of the finite values; a zero-width range becomes [v − 0.5, v + 0.5]). Values outside the
 * range and NaN/±Infinity are not counted.
 * @param bins number of bins, a positive integer
 * @param range [lo, hi] with lo < hi
 * @throws MetricsError `bad-argument` for bad bins or range
 */
export function histogram(values: ArrayLike<number>, bins: number, range?: [number, number]): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new MetricsError('bad-argument', `bins must be a positive integer, got ${bins}`);
  let lo: number;
  let hi: number;
  if (range) {
    [lo, hi] = range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new MetricsError('bad-argument', `bad histogram range [${lo}, ${hi}]`);
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) [lo, hi] = [0, 1];
    else if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    let b = Math.floor((v - lo) / width);
    if (b >= bins) b = bins - 1;
    // Float rounding of (v − lo) / width can land a value one bin off its edges: fix it against them.
    while (b > 0 && v < edges[b]) b--;
    while (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return { counts, edges };
}
