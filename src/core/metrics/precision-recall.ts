import { binaryCurve } from './binary-curve';

/**
 * Precision-recall curve in sklearn's layout (`precision_recall_curve`, drop_intermediate=False,
 * sklearn ≥ 1.1): `thresholds` increasing over the distinct scores; `precision[i]`/`recall[i]` are
 * those of flagging score ≥ thresholds[i]; one extra last point (precision 1, recall 0) has no threshold.
 */
export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/**
 * Precision-recall curve (labels: 1 = anomalous = positive). Without positives, recall is NaN.
 * @throws MetricsError on invalid input (see `validateBinary`)
 */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrCurve {
  const c = binaryCurve(scores, labels);
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let i = c.thresholds.length - 1; i >= 0; i--) {
    precision.push(c.tps[i] / (c.tps[i] + c.fps[i]));
    recall.push(c.nPos === 0 ? NaN : c.tps[i] / c.nPos);
    thresholds.push(c.thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}

/**
 * Average precision as sklearn's `average_precision_score`: AP = Σ_n (R_n − R_{n−1}) · P_n over the
 * distinct thresholds from high to low (a step function, no interpolation). Tied scores form one step.
 * @returns AP in [0, 1]; NaN when there are no positives.
 * @throws MetricsError on invalid input (see `validateBinary`)
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const c = binaryCurve(scores, labels);
  if (c.nPos === 0) return NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < c.thresholds.length; i++) {
    const r = c.tps[i] / c.nPos;
    ap += (r - prevRecall) * (c.tps[i] / (c.tps[i] + c.fps[i]));
    prevRecall = r;
  }
  return ap;
}
