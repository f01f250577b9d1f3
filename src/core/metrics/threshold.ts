import { binaryCurve, validateBinary } from './binary-curve';
import { MetricsError } from './errors';

/** Confusion counts and scores of flagging every sample with score ≥ threshold (label 1 = positive). */
export interface F1Result {
  threshold: number;
  /** 2·tp / (2·tp + fp + fn); 0 when tp = 0 (sklearn's zero_division = 0). */
  f1: number;
  /** tp / flagged; 0 when nothing is flagged. */
  precision: number;
  /** tp / (tp + fn); 0 when there are no positives. */
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Number of samples flagged (tp + fp). */
  flagged: number;
}

function f1FromCounts(threshold: number, tp: number, fp: number, nPos: number, nNeg: number): F1Result {
  const fn = nPos - tp;
  return {
    threshold,
    f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    precision: tp === 0 ? 0 : tp / (tp + fp),
    recall: tp === 0 ? 0 : tp / nPos,
    tp,
    fp,
    fn,
    tn: nNeg - fp,
    flagged: tp + fp,
  };
}

/**
 * F1, precision, recall and the confusion counts when every sample with score ≥ `threshold` is
 * flagged as anomalous. Labels: 1 = anomalous = positive, 0 = normal.
 * @throws MetricsError on invalid input (see `validateBinary`)
 */
export function f1AtThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): F1Result {
  validateBinary(scores, labels);
  let tp = 0;
  let fp = 0;
  let nPos = 0;
  for (let i = 0; i < scores.length; i++) {
    const pos = labels[i] === 1;
    if (pos) nPos++;
    if (scores[i] >= threshold) {
      if (pos) tp++;
      else fp++;
    }
  }
  return f1FromCounts(threshold, tp, fp, nPos, scores.length - nPos);
}

/**
 * The threshold (one of the scores; flag score ≥ it) that maximises F1 against the labels. Among
 * equal F1 the highest threshold wins, i.e. the one that flags the fewest samples.
 * @throws MetricsError `no-positives` when no label is 1 (F1 is 0 at every threshold), or on invalid input
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): F1Result {
  const c = binaryCurve(scores, labels);
  if (c.nPos === 0) throw new MetricsError('no-positives', 'no anomalous labels: the best-F1 threshold is undefined');
  let best = f1FromCounts(c.thresholds[0], c.tps[0], c.fps[0], c.nPos, c.nNeg);
  for (let i = 1; i < c.thresholds.length; i++) {
    const r = f1FromCounts(c.thresholds[i], c.tps[i], c.fps[i], c.nPos, c.nNeg);
    if (r.f1 > best.f1) best = r;
  }
  return best;
}

/**
 * The threshold for a review budget: flagging score ≥ threshold flags the top
 * k = ceil(fraction · n) scores (a budget of 15% of 101 images reviews 16). Ties at the threshold
 * are all flagged, so more than k samples can be flagged when the k-th score is shared.
 * @param fraction in [0, 1]; 0 returns +Infinity (flags nothing), 1 returns the lowest score.
 * @throws MetricsError `bad-argument` for a fraction outside [0, 1], `empty`, `bad-score` (NaN)
 */
export function budgetThreshold(scores: ArrayLike<number>, fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new MetricsError('bad-argument', `budget fraction ${fraction} is outside [0, 1]`);
  if (scores.length === 0) throw new MetricsError('empty', 'no samples');
  const sorted = Float64Array.from(scores).sort().reverse();
  if (Number.isNaN(sorted[0]) || Number.isNaN(sorted[sorted.length - 1])) throw new MetricsError('bad-score', 'a score is NaN');
  // The small tolerance keeps 0.15 · 100 = 15.000000000000002 at 15.
  const k = Math.min(sorted.length, Math.ceil(fraction * sorted.length - 1e-9));
  return k === 0 ? Infinity : sorted[k - 1];
}
