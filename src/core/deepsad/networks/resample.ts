/**
 * 2×2 max pooling and ×2 nearest upsampling whose gradients are right on every backend.
 *
 * Why: tfjs 4.22's built-in gradients are wrong on one backend each (measured against hand-computed
 * gradients, see resample.test.ts):
 * - wasm `MaxPoolGrad` starts its running maximum at 0, so a window whose values are all negative
 *   sends its gradient to the window's first cell instead of its maximum (and ties go to the last
 *   maximum). After BatchNorm + leaky ReLU such windows are common.
 * - cpu `ResizeNearestNeighborGrad` does not sum each 2×2 block into its source pixel.
 * The forward passes are the native kernels (correct everywhere). The replacement backward passes use
 * only native forward kernels (resize, avgPool) and elementwise ops, which are fast on wasm.
 */
import * as tf from '@tensorflow/tfjs';

const maxPoolMasked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
  const y = tf.maxPool(x, 2, 2, 'valid');
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy] = saved as tf.Tensor4D[];
      const size: [number, number] = [sx.shape[1], sx.shape[2]];
      const hit = tf.cast(tf.equal(sx, tf.image.resizeNearestNeighbor(sy, size)), 'float32') as tf.Tensor4D;
      // Maxima per window (1 unless tied): tied maxima share the window's gradient equally.
      const count = tf.mul(tf.avgPool(hit, 2, 2, 'valid'), 4);
      return [tf.mul(tf.image.resizeNearestNeighbor(tf.div(dy, count) as tf.Tensor4D, size), hit)];
    },
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/**
 * 2×2 max pool, stride 2, 'valid' (an odd last row/column is dropped, like PyTorch's MaxPool2d(2, 2)).
 * The gradient goes to the window's maximum; on ties, to the first one (PyTorch, cpu, GPU backends)
 * or, on wasm, shared equally among them (the same total: ties arise in constant regions).
 */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const even = h % 2 || w % 2 ? (tf.slice(x, [0, 0, 0, 0], [n, h - (h % 2), w - (w % 2), c]) as tf.Tensor4D) : x;
    return tf.getBackend() === 'wasm' ? maxPoolMasked(even) : tf.maxPool(even, 2, 2, 'valid');
  });
}

const upsample = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [tf.Tensor4D];
  return {
    value: tf.image.resizeNearestNeighbor(x, [2 * x.shape[1], 2 * x.shape[2]]),
    // Each source pixel receives the sum of its 2×2 block.
    gradFunc: (dy: tf.Tensor) => [tf.mul(tf.avgPool(dy as tf.Tensor4D, 2, 2, 'valid'), 4)],
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/** ×2 nearest-neighbour upsampling, as F.interpolate(scale_factor=2): each pixel becomes a 2×2 block. */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  return upsample(x);
}
