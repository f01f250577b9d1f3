import { binaryCurve, validateBinary } from './binary-curve';

/** Points of the ROC curve, lowest false-positive rate first. */
export interface RocCurve {
  /** False-positive rate at each threshold, starting at 0. */
  fpr: number[];
  /** True-positive rate (recall) at each threshold, starting at 0. */
  tpr: number[];
  /** Decreasing; a sample is flagged when score ≥ threshold. The first is +Infinity (nothing flagged). */
  thresholds: number[];
}

/**
 * ROC curve as sklearn's `roc_curve(labels, scores, drop_intermediate=False)`: one point per distinct
 * score plus the (0, 0) point at +Infinity. Labels: 1 = anomalous = positive, 0 = normal.
 * With a single class the undefined rate (fpr without negatives, tpr without positives) is NaN.
 * @throws MetricsError on invalid input (see `validateBinary`)
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocCurve {
  const c = binaryCurve(scores, labels);
  return {
    fpr: [0, ...c.fps].map((v) => (c.nNeg === 0 ? NaN : v / c.nNeg)),
    tpr: [0, ...c.tps].map((v) => (c.nPos === 0 ? NaN : v / c.nPos)),
    thresholds: [Infinity, ...c.thresholds],
  };
}

/**
 * Area under the ROC curve, equal to sklearn's `roc_auc_score` for binary labels: the Mann-Whitney
 * U statistic with midranks, i.e. P(score of a random positive > score of a random negative) with
 * ties counted ½. Labels: 1 = anomalous = positive.
 * @returns AUC in [0, 1]; NaN when only one class is present (sklearn raises there).
 * @throws MetricsError on invalid input (see `validateBinary`)
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  validateBinary(scores, labels);
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    // 1-based ranks start+1 … end+1 share their mean.
    const midrank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]] === 1) {
        nPos++;
        rankSumPos += midrank;
      }
    }
    start = end + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
