import * as tf from '@tensorflow/tfjs';

/** The Gaussian σ (pixels) the deletion baseline blurs with: 1/16 of the larger image side, at least 1. */
export function deletionSigma(height: number, width: number): number {
  return Math.max(1, Math.max(height, width) / 16);
}

/** Normalised 1-D Gaussian taps exp(−k²/2σ²), k = −r…r with r = ⌈2σ⌉ (capped to side − 1 for reflect padding). */
export function gaussianTaps(sigma: number, maxRadius: number): Float32Array {
  const r = Math.max(0, Math.min(Math.ceil(2 * sigma), maxRadius));
  const taps = Float32Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/**
 * Separable Gaussian blur of x [n, h, w, c] per channel, with reflect padding (edges are not darkened).
 * Being linear and per-channel, it commutes with the classifiers' affine normalisations, so blurring the
 * normalised input equals normalising the blurred image.
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  return tf.tidy(() => {
    const ty = gaussianTaps(sigma, h - 1);
    const tx = gaussianTaps(sigma, w - 1);
    const ry = (ty.length - 1) / 2;
    const rx = (tx.length - 1) / 2;
    let y: tf.Tensor4D = x;
    if (ry > 0) {
      const k = tf.tensor4d(Float32Array.from({ length: ty.length * c }, (_, i) => ty[Math.floor(i / c)]), [ty.length, 1, c, 1]);
      y = tf.depthwiseConv2d(tf.mirrorPad(y, [[0, 0], [ry, ry], [0, 0], [0, 0]], 'reflect'), k, 1, 'valid');
    }
    if (rx > 0) {
      const k = tf.tensor4d(Float32Array.from({ length: tx.length * c }, (_, i) => tx[Math.floor(i / c)]), [1, tx.length, c, 1]);
      y = tf.depthwiseConv2d(tf.mirrorPad(y, [[0, 0], [0, 0], [rx, rx], [0, 0]], 'reflect'), k, 1, 'valid');
    }
    return y === x ? x.clone() : y;
  });
}
