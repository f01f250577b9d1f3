/**
 * 2×2 max pooling and ×2 nearest upsampling with gradients written out by hand.
 *
 * Why: tfjs 4.22's built-in gradients are wrong on one backend each (measured against hand-computed
 * gradients, see resample.test.ts):
 * - wasm `MaxPoolGrad` drops the gradient of every window whose values are all negative (it starts
 *   the running max at 0, not −∞). After BatchNorm + leaky ReLU such windows are common.
 * - cpu `ResizeNearestNeighborGrad` does not sum each 2×2 block into its source pixel for this case.
 * The forward passes use the native kernels (both correct); the backward passes are plain strided
 * slices, comparisons and reshapes, which every backend computes correctly.
 */
import * as tf from '@tensorflow/tfjs';

/** The four phases x[:, a::2, b::2, :] for (a, b) = 00, 01, 10, 11 of an even-sized x. */
function phases(x: tf.Tensor4D): tf.Tensor4D[] {
  const [n, h, w, c] = x.shape;
  return [[0, 0], [0, 1], [1, 0], [1, 1]].map(([a, b]) => tf.stridedSlice(x, [0, a, b, 0], [n, h, w, c], [1, 2, 2, 1]) as tf.Tensor4D);
}

/** Interleaves four [N, H, W, C] phases (order 00, 01, 10, 11) back into [N, 2H, 2W, C]. */
function interleave([p00, p01, p10, p11]: tf.Tensor4D[]): tf.Tensor4D {
  const [n, h, w, c] = p00.shape;
  const row0 = tf.stack([p00, p01], 3).reshape([n, h, 2 * w, c]);
  const row1 = tf.stack([p10, p11], 3).reshape([n, h, 2 * w, c]);
  return tf.stack([row0, row1], 2).reshape([n, 2 * h, 2 * w, c]) as tf.Tensor4D;
}

const maxPoolEven = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
  const y = tf.maxPool(x, 2, 2, 'valid');
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy] = saved as tf.Tensor4D[];
      // Route dy to the first maximum of each window in row-major order, as PyTorch does on ties.
      let taken = tf.zerosLike(sy).cast('bool');
      const parts = phases(sx).map((p) => {
        const hit = tf.logicalAnd(tf.equal(p, sy), tf.logicalNot(taken));
        taken = tf.logicalOr(taken, hit);
        return tf.mul(dy, tf.cast(hit, 'float32')) as tf.Tensor4D;
      });
      return [interleave(parts)];
    },
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/** 2×2 max pool, stride 2, 'valid' (an odd last row/column is dropped, like PyTorch's MaxPool2d(2, 2)). */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const even = h % 2 || w % 2 ? (tf.slice(x, [0, 0, 0, 0], [n, h - (h % 2), w - (w % 2), c]) as tf.Tensor4D) : x;
    return maxPoolEven(even);
  });
}

const upsample = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [tf.Tensor4D];
  const [n, h, w, c] = x.shape;
  return {
    value: tf.image.resizeNearestNeighbor(x, [2 * h, 2 * w]),
    gradFunc: (dy: tf.Tensor) => {
      // dy [N, 2H, 2W, C] is [N·H, 2, W·2·C] in memory: sum the row pair, then the column pair.
      const rows = tf.sum(dy.reshape([n * h, 2, 2 * w * c]), 1);
      return [tf.sum(rows.reshape([n * h * w, 2, c]), 1).reshape([n, h, w, c])];
    },
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/** ×2 nearest-neighbour upsampling, as F.interpolate(scale_factor=2): each pixel becomes a 2×2 block. */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  return upsample(x);
}
