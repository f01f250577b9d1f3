import { MetricsError } from './errors';

/**
 * Cumulative counts at each distinct score, highest score first: entry i says how many positives
 * (`tps[i]`) and negatives (`fps[i]`) have a score ≥ `thresholds[i]`. sklearn's `_binary_clf_curve`
 * without sample weights; ties share one entry, which is what makes ROC AUC and AP tie-aware.
 */
export interface BinaryCurve {
  thresholds: number[];
  tps: number[];
  fps: number[];
  /** Number of positives (label 1) and negatives (label 0) in the input. */
  nPos: number;
  nNeg: number;
}

/**
 * Checks a (scores, labels) pair: same non-zero length, labels exactly 0 or 1 (1 = anomalous =
 * positive), scores finite or ±Infinity (never NaN).
 * @throws MetricsError `length-mismatch` | `empty` | `bad-label` | `bad-score`
 */
export function validateBinary(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new MetricsError('length-mismatch', `scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
  if (scores.length === 0) throw new MetricsError('empty', 'no samples');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new MetricsError('bad-label', `label ${i} is ${labels[i]}; expected 0 or 1`);
    if (Number.isNaN(scores[i])) throw new MetricsError('bad-score', `score ${i} is NaN`);
  }
}

/** Computes the {@link BinaryCurve} of validated input (see {@link validateBinary}). Does not mutate its inputs. */
export function binaryCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): BinaryCurve {
  validateBinary(scores, labels);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    // Close an entry at the last sample of each run of equal scores.
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      thresholds.push(scores[i]);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds, tps, fps, nPos: tp, nNeg: fp };
}
