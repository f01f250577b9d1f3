/**
 * Scoring a detector on the test set at a review budget: flag the top `budget` fraction of its
 * scores, then precision / recall / F1 against the misclassified images, recall of the shortcut
 * (right-for-the-wrong-reason) images and of the anomalous ones (either kind; bench-lib/truth.ts),
 * ROC and PR AUC, and the faulty classes' accuracy after an oracle re-checks the flags. Plus the
 * expected values of random flagging and the combined rank score.
 */
import { averagePrecision, f1AtThreshold, fractionalRanks, rocAuc } from '../../src/core/metrics';
import { thresholdAtFraction } from '../../src/core/audit';
import type { BenchTruth } from '../bench-lib/truth';

/** The truth a detector is scored against (scripts/bench-lib/truth.ts): misclassified, shortcut and their union. */
export type ScoredTruth = Pick<BenchTruth, 'misclassified' | 'shortcut' | 'anomalous'>;

/** One detector's figures on one test set; fractions in [0, 1]. */
export interface DetectorFigures {
  f1: number;
  precision: number;
  recall: number;
  /** Recall of the shortcut cases (tagged, right, the tag-free twin predicted otherwise); NaN without any. */
  shortcut_recall: number;
  /** Recall of the anomalous images (misclassified or shortcut). */
  union_recall: number;
  roc_auc: number;
  pr_auc: number;
  faulty_accuracy_after: number;
}

/** The detector names of bench-results/audit.json. */
export const DETECTORS = ['deepsad', 'deepsad_unlabeled', 'faithfulness', 'confidence', 'random', 'combined'] as const;
export type DetectorName = (typeof DETECTORS)[number];

function recallOf(flags: Uint8Array, positives: Uint8Array): number {
  let p = 0;
  let tp = 0;
  for (let i = 0; i < flags.length; i++) {
    if (!positives[i]) continue;
    p++;
    tp += flags[i];
  }
  return p ? tp / p : NaN;
}

/** Accuracy over images of the faulty classes (`faulty[i]` = 1), counting flagged images as corrected. */
export function faultyAccuracy(correct: Uint8Array, faulty: Uint8Array, flags?: Uint8Array): number {
  let n = 0;
  let k = 0;
  for (let i = 0; i < correct.length; i++) {
    if (!faulty[i]) continue;
    n++;
    k += correct[i] || (flags && flags[i]) ? 1 : 0;
  }
  return n ? k / n : NaN;
}

/** Flags (score ≥ the budget quantile) and figures of one score vector. */
export function scoreDetector(scores: Float32Array, t: ScoredTruth, correct: Uint8Array, faulty: Uint8Array, budget: number): DetectorFigures {
  const all = new Uint8Array(scores.length).fill(1);
  const threshold = thresholdAtFraction(scores, all, budget);
  const flags = Uint8Array.from(scores, (s) => (s >= threshold ? 1 : 0));
  const q = f1AtThreshold(scores, t.misclassified, threshold);
  const hasBoth = t.misclassified.includes(1) && t.misclassified.includes(0);
  return {
    f1: q.f1,
    precision: q.precision,
    recall: q.recall,
    shortcut_recall: recallOf(flags, t.shortcut),
    union_recall: recallOf(flags, t.anomalous),
    roc_auc: hasBoth ? rocAuc(scores, t.misclassified) : NaN,
    pr_auc: hasBoth ? averagePrecision(scores, t.misclassified) : NaN,
    faulty_accuracy_after: faultyAccuracy(correct, faulty, flags),
  };
}

/**
 * Expected figures of flagging a random `budget` fraction: every recall = budget, precision = the
 * base rate of misclassification, F1 from those, AUCs 0.5 / base rate, and each wrong faulty image
 * corrected with probability `budget`.
 */
export function randomExpected(t: ScoredTruth, correct: Uint8Array, faulty: Uint8Array, budget: number): DetectorFigures {
  const n = t.misclassified.length;
  const base = t.misclassified.reduce((a, b) => a + b, 0) / n;
  const before = faultyAccuracy(correct, faulty);
  const f1 = base > 0 ? (2 * base * budget) / (base + budget) : 0;
  return {
    f1,
    precision: base,
    recall: budget,
    shortcut_recall: t.shortcut.includes(1) ? budget : NaN,
    union_recall: budget,
    roc_auc: 0.5,
    pr_auc: base,
    faulty_accuracy_after: before + budget * (1 - before),
  };
}

/** The combined score: mean of the Deep SAD rank and the (un)confidence rank. */
export function combinedScores(deepsad: Float32Array, unconfidence: Float32Array): Float32Array {
  const a = fractionalRanks(deepsad);
  const b = fractionalRanks(unconfidence);
  return a.map((v, i) => (v + b[i]) / 2);
}
