/** The hypersphere centre c: mean embedding in eval mode, then the 0.1 clamp (papers.md §2.3). */
import * as tf from '@tensorflow/tfjs';
import type { Encoder } from './networks/network';
import { batchOrder, gatherBatch } from './batches';
import type { DeepSadData } from './types';
import type { Rng } from '../random';

/** Coordinates of c closer to 0 than this are pushed out to ±this (a near-zero unit is trivially matched by zero weights). */
export const CENTER_EPS = 0.1;

/**
 * Returns a copy of c with every coordinate of |c_i| < eps set to eps·sign(c_i). Exact zeros stay 0,
 * as in the reference (it handles c < 0 and c > 0 only).
 */
export function clampCenter(c: Float32Array, eps = CENTER_EPS): Float32Array {
  const out = Float32Array.from(c);
  for (let i = 0; i < out.length; i++) {
    if (out[i] < 0 && out[i] > -eps) out[i] = -eps;
    else if (out[i] > 0 && out[i] < eps) out[i] = eps;
  }
  return out;
}

/**
 * The mean of φ(x) over the training data in eval mode (running BN statistics), clamped. Like the
 * reference's `drop_last=True` loader it skips the last partial batch of a shuffled pass (all
 * samples when there are fewer than one batch), and it includes labeled samples of both kinds.
 */
export async function computeCenter(encoder: Encoder, data: DeepSadData, inputShape: [number, number, number], batchSize: number, rng: Rng): Promise<Float32Array> {
  const batches = batchOrder(data.n, batchSize, rng);
  const sum = new Float64Array(encoder.repDim);
  let count = 0;
  for (const idx of batches) {
    const z = tf.tidy(() => encoder.forward(gatherBatch(data, inputShape, idx).x, { training: false }));
    const v = await z.data();
    z.dispose();
    for (let i = 0; i < idx.length; i++) for (let j = 0; j < encoder.repDim; j++) sum[j] += v[i * encoder.repDim + j];
    count += idx.length;
  }
  return clampCenter(Float32Array.from(sum, (s) => s / count));
}
