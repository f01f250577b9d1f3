import { budgetThreshold, f1AtThreshold, rocAuc } from '../metrics';

/** A detector's operating point on the evaluated images, and its quality when ground truth exists. */
export interface DetectorResult {
  /** Flag score ≥ threshold. */
  threshold: number;
  /** Number of evaluated images flagged. */
  flagged: number;
  /** Against the ground-truth anomalies (misclassified images), on evaluated images with truth. */
  f1?: number;
  precision?: number;
  recall?: number;
  /** ROC AUC of the scores against the same ground truth; absent when one class is missing. */
  auc?: number;
}

/** Values at the indices of `mask` (1 = keep). */
export function select<T extends ArrayLike<number>>(values: T, mask: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(values[i]);
  return out;
}

/**
 * A detector's result at `threshold` on the evaluated images; with `anomalous` (1 = ground-truth
 * anomaly, −1 = no truth for that image) also F1/precision/recall/AUC on the evaluated images with truth.
 */
export function evaluateDetector(scores: ArrayLike<number>, threshold: number, evaluated: ArrayLike<number>, anomalous?: ArrayLike<number>): DetectorResult {
  const ev = select(scores, evaluated);
  const result: DetectorResult = { threshold, flagged: ev.filter((s) => s >= threshold).length };
  if (anomalous) {
    const withTruth = Array.from(evaluated, (e, i) => (e && anomalous[i] >= 0 ? 1 : 0));
    const s = select(scores, withTruth);
    const y = select(anomalous, withTruth);
    if (s.length > 0) {
      const q = f1AtThreshold(s, y, threshold);
      result.f1 = q.f1;
      result.precision = q.precision;
      result.recall = q.recall;
      const auc = rocAuc(s, y);
      if (Number.isFinite(auc)) result.auc = auc;
    }
  }
  return result;
}

/** A baseline flagged at the same fraction as Deep SAD: its threshold is that budget quantile of its own scores on the evaluated images. */
export function thresholdAtFraction(scores: ArrayLike<number>, evaluated: ArrayLike<number>, fraction: number): number {
  const ev = select(scores, evaluated);
  return ev.length ? budgetThreshold(ev, Math.min(1, Math.max(0, fraction))) : Infinity;
}

/** Accuracy before and after an oracle re-checks the flagged images (a flagged image counts as corrected). */
export interface AccuracyResult {
  n: number;
  accuracy_before: number;
  accuracy_after: number;
}

/**
 * Overall and per-class (by true class) accuracy on the evaluated images with truth, before and after
 * the flagged images are re-classified by an oracle.
 * @param truth true class per image, −1 when unknown
 */
export function accuracyBeforeAfter(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  flagged: ArrayLike<number>,
  evaluated: ArrayLike<number>,
  classNames: readonly string[],
): { overall: AccuracyResult; perClass: Record<string, AccuracyResult> } {
  const acc = classNames.map(() => ({ n: 0, before: 0, after: 0 }));
  const all = { n: 0, before: 0, after: 0 };
  for (let i = 0; i < predicted.length; i++) {
    if (!evaluated[i] || truth[i] < 0) continue;
    const right = predicted[i] === truth[i] ? 1 : 0;
    const after = right || flagged[i] ? 1 : 0;
    for (const a of [acc[truth[i]], all]) {
      a.n++;
      a.before += right;
      a.after += after;
    }
  }
  const res = (a: { n: number; before: number; after: number }): AccuracyResult => ({ n: a.n, accuracy_before: a.n ? a.before / a.n : NaN, accuracy_after: a.n ? a.after / a.n : NaN });
  const perClass: Record<string, AccuracyResult> = {};
  classNames.forEach((name, k) => {
    if (acc[k].n > 0) perClass[name] = res(acc[k]);
  });
  return { overall: res(all), perClass };
}
