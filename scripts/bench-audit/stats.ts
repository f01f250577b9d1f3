/** Summaries over seeds: mean and a 95% percentile-bootstrap interval of the mean. */
import { createRng } from '../../src/core/data/insulator/prng';

/** Mean and 95% bootstrap interval [lo, hi]. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/** Mean of finite values (NaN when none). */
export function mean(xs: readonly number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
}

/** 95% percentile bootstrap of the mean (2,000 resamples, seeded: the same values give the same interval). */
export function bootstrap(xs: readonly number[], resamples = 2000, seed = 12345): Interval {
  const f = xs.filter(Number.isFinite);
  if (f.length === 0) return { mean: NaN, lo: NaN, hi: NaN };
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let j = 0; j < f.length; j++) s += f[rng.int(0, f.length - 1)];
    means[r] = s / f.length;
  }
  means.sort();
  return { mean: mean(f), lo: means[Math.floor(0.025 * resamples)], hi: means[Math.ceil(0.975 * resamples) - 1] };
}
