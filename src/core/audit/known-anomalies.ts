import { createRng, permutation } from '../random';

/**
 * Picks the explanations to label as known anomalies when only ground-truth classes exist (the
 * paper's protocol): round(ratio · m) of the m misclassified images, chosen by a seeded permutation.
 * The rest are left unlabeled, and detector quality is reported only on images not picked here.
 *
 * @param misclassified 1 where the prediction differs from the truth (0 also for images without truth)
 * @param ratio fraction of the misclassified images to label, in [0, 1]
 * @returns 1 for each picked image
 */
export function pickKnownAnomalies(misclassified: ArrayLike<number>, ratio: number, seed: number): Uint8Array {
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`ratio ${ratio} is outside [0, 1]`);
  const candidates: number[] = [];
  for (let i = 0; i < misclassified.length; i++) if (misclassified[i]) candidates.push(i);
  const k = Math.round(ratio * candidates.length);
  const order = permutation(candidates.length, createRng(seed));
  const picked = new Uint8Array(misclassified.length);
  for (let j = 0; j < k; j++) picked[candidates[order[j]]] = 1;
  return picked;
}
