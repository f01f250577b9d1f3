import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../classifier/types';
import { deletionSigma, gaussianBlur } from './blur';

/** Fractions of the most relevant pixels deleted, in order (the curve also has the point f = 0, nothing deleted). */
export const DELETION_FRACTIONS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5];

/**
 * Per pixel of each image, its rank by relevance (0 = most relevant), from heatmaps upsampled to the
 * input size (bilinear, half-pixel centres). Ties keep row-major order, so the deletion order is fully
 * determined. Returns n·H·W ranks.
 */
export async function relevanceRanks(heatmaps: Float32Array, n: number, size: [number, number], input: [number, number]): Promise<Int32Array> {
  const up = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(heatmaps, [n, size[0], size[1], 1]), input, false, true));
  const values = (await up.data()) as Float32Array;
  up.dispose();
  const hw = input[0] * input[1];
  const ranks = new Int32Array(n * hw);
  const order = new Int32Array(hw);
  for (let i = 0; i < n; i++) {
    const v = values.subarray(i * hw, (i + 1) * hw);
    for (let p = 0; p < hw; p++) order[p] = p;
    order.sort((a, b) => v[b] - v[a] || a - b);
    for (let r = 0; r < hw; r++) ranks[i * hw + order[r]] = r;
  }
  return ranks;
}

/** Probability (model output) of class `targets[i]` for each image of a prediction [n, k]. */
async function targetProbs(classifier: Classifier, x: tf.Tensor4D, targets: Int32Array): Promise<Float32Array> {
  const p = classifier.predict(x);
  const all = (await p.data()) as Float32Array;
  const k = p.shape[1];
  p.dispose();
  return Float32Array.from(targets, (t, i) => all[i * k + t]);
}

/**
 * The deletion baseline (after the deletion curve of RISE, Petsiuk et al. 2018), as a suspicion score:
 * **higher = less faithful explanation = more suspicious**.
 *
 * For each image with target class t and probability p(0) = P(t | x): rank the pixels by the heatmap
 * upsampled to the input size; for f = 0.1, 0.2, …, 0.5 replace the ⌊f·H·W⌋ most relevant pixels (all
 * channels) by the same pixels of a Gaussian-blurred copy of the image (σ = max(H, W)/16, reflect
 * padding) and record p(f) = P(t | perturbed). The relative drop d(f) = (p(0) − p(f)) / max(p(0), 1e-6),
 * with d(0) = 0, is integrated by the trapezoid rule over f ∈ [0, 0.5] and divided by 0.5; the score is
 * 1 − that normalised area. A faithful map (its pixels carry the class) makes the probability collapse
 * early: score near 0.1 at best (p(0.1) = 0 already). A map whose pixels do not matter leaves p
 * unchanged: score 1. Above 1 means deleting the "relevant" pixels raised the class probability.
 *
 * Batched: one prediction of the batch per fraction, plus one of x.
 *
 * @param x preprocessed images [n, H, W, c] (not disposed)
 * @param heatmaps n·h·w maps in [0, 1], row-major (Grad-CAM output)
 * @param size the heatmap size [h, w]
 * @param targets the class whose probability is tracked, per image
 * @returns n scores
 */
export async function deletionScores(
  classifier: Classifier,
  x: tf.Tensor4D,
  heatmaps: Float32Array,
  size: [number, number],
  targets: Int32Array,
): Promise<Float32Array> {
  const [n, h, w] = x.shape;
  if (heatmaps.length !== n * size[0] * size[1]) throw new RangeError(`expected ${n}·${size[0]}·${size[1]} heatmap values, got ${heatmaps.length}`);
  if (targets.length !== n) throw new RangeError(`expected ${n} targets, got ${targets.length}`);
  const ranks = await relevanceRanks(heatmaps, n, size, [h, w]);
  const p0 = await targetProbs(classifier, x, targets);
  const rankT = tf.tensor4d(ranks, [n, h, w, 1], 'int32');
  const blurred = gaussianBlur(x, deletionSigma(h, w));
  const curve: Float32Array[] = [];
  try {
    for (const f of DELETION_FRACTIONS) {
      const k = Math.floor(f * h * w);
      const perturbed = tf.tidy(() => {
        const mask = tf.less(rankT, k).toFloat();
        return x.mul(tf.sub(1, mask)).add(blurred.mul(mask)) as tf.Tensor4D;
      });
      curve.push(await targetProbs(classifier, perturbed, targets));
      perturbed.dispose();
    }
  } finally {
    tf.dispose([rankT, blurred]);
  }
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const base = Math.max(p0[i], 1e-6);
    let prevF = 0;
    let prevD = 0;
    let area = 0;
    DELETION_FRACTIONS.forEach((f, j) => {
      const d = (p0[i] - curve[j][i]) / base;
      area += ((d + prevD) / 2) * (f - prevF);
      prevF = f;
      prevD = d;
    });
    scores[i] = 1 - area / prevF;
  }
  return scores;
}
