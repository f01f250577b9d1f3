/** Mini-batch order and assembly from the flat NHWC training arrays. */
import * as tf from '@tensorflow/tfjs';
import { permutation, type Rng } from '../random';
import type { DeepSadData } from './types';

/**
 * Shuffled index batches of `batchSize`. Like the reference loaders (`drop_last=True`) the last
 * partial batch is dropped, which also keeps a batch of 1 away from BatchNorm; with fewer samples
 * than one batch, all of them form a single batch so small label sets still train.
 */
export function batchOrder(n: number, batchSize: number, rng: Rng): Uint32Array[] {
  const p = permutation(n, rng);
  if (n < batchSize) return [p];
  const out: Uint32Array[] = [];
  for (let s = 0; s + batchSize <= n; s += batchSize) out.push(p.subarray(s, s + batchSize));
  return out;
}

/** The samples `idx` as x [B, h, w, c] and float semi-targets [B]. Call inside a tidy or dispose. */
export function gatherBatch(data: DeepSadData, [h, w, c]: [number, number, number], idx: Uint32Array): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const len = h * w * c;
  const xb = new Float32Array(idx.length * len);
  const yb = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    xb.set(data.x.subarray(idx[i] * len, (idx[i] + 1) * len), i * len);
    yb[i] = data.semiTargets[idx[i]];
  }
  return { x: tf.tensor4d(xb, [idx.length, h, w, c]), y: tf.tensor1d(yb) };
}
