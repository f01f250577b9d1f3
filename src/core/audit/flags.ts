/**
 * Which images go to review, one rule for every host (the app's gallery and report, the CLI's report,
 * the benchmarks). The analyst's label wins: a labeled anomaly is flagged, a labeled normal never is.
 * The budget is a fraction of the unlabeled scored images (an unscored image is neither flagged nor
 * counted): the top ⌈budget · n⌉ of them by score, ties at the cut-off all flagged (budgetThreshold).
 */
import { budgetThreshold } from '../metrics/threshold';

/** Flags of n images and how they were decided. */
export interface ReviewFlags {
  /** 1 = flagged for review (labeled anomalous, or unlabeled with score ≥ threshold). */
  flagged: Uint8Array;
  /** Score cut-off for the unlabeled images (+∞ when none is flagged). */
  threshold: number;
  /** Unlabeled images with a finite score: the budget's n. */
  nCandidates: number;
  /** Unlabeled images flagged by score. */
  nFlaggedByScore: number;
  /** Images flagged because the analyst labeled them anomalous. */
  nFlaggedByLabel: number;
}

/**
 * The review flags.
 * @param scores per image, higher = more suspicious; NaN = not scored
 * @param labels +1 normal, −1 anomalous, 0 unlabeled
 * @param budget fraction in [0, 1] of the unlabeled scored images to flag
 */
export function reviewFlags(scores: ArrayLike<number>, labels: ArrayLike<number>, budget: number): ReviewFlags {
  const n = scores.length;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i] === 0 && Number.isFinite(scores[i])) candidates.push(scores[i]);
  const threshold = candidates.length ? budgetThreshold(candidates, Math.min(1, Math.max(0, budget))) : Infinity;
  const flagged = new Uint8Array(n);
  let byScore = 0;
  let byLabel = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === -1) {
      flagged[i] = 1;
      byLabel++;
    } else if (labels[i] === 0 && scores[i] >= threshold) {
      flagged[i] = 1;
      byScore++;
    }
  }
  return { flagged, threshold, nCandidates: candidates.length, nFlaggedByScore: byScore, nFlaggedByLabel: byLabel };
}

/**
 * Where `score` falls among `reference` scores: the fraction of them strictly below it plus half of
 * the ties, in [0, 1] (1 = above all). NaN for a NaN score or an empty reference.
 */
export function percentileOf(score: number, reference: readonly number[] | Float32Array): number {
  if (!Number.isFinite(score) || reference.length === 0) return NaN;
  let below = 0;
  let ties = 0;
  for (const r of reference) {
    if (r < score) below++;
    else if (r === score) ties++;
  }
  return (below + ties / 2) / reference.length;
}
