/**
 * The Deep SAD objective and the autoencoder's reconstruction loss, exactly as the reference trainer
 * computes them (papers.md §2.2, §2.6).
 */
import * as tf from '@tensorflow/tfjs';

/** ε inside the power: keeps 1/d finite for labeled anomalies (known normals get the +ε too). */
export const DEEP_SAD_EPS = 1e-6;

/** Squared Euclidean distances ||z_i − c||², z [N, d], c [d] → [N]. */
export function squaredDistances(z: tf.Tensor2D, c: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.squaredDifference(z, c), 1));
}

/**
 * Mean over the batch of `d` where y = 0 (unlabeled) and η·(d + ε)^y where y = ±1 (labeled normal /
 * anomalous). `dist` [N] squared distances, `semiTargets` [N] float32 in {−1, 0, 1}.
 */
export function deepSadLoss(dist: tf.Tensor1D, semiTargets: tf.Tensor1D, eta: number): tf.Scalar {
  return tf.tidy(() => {
    const labeled = tf.mul(eta, tf.pow(tf.add(dist, DEEP_SAD_EPS), semiTargets));
    return tf.mean(tf.where(tf.equal(semiTargets, 0), dist, labeled));
  });
}

/** Mean squared reconstruction error over every value of the batch (the reference's MSELoss, then mean). */
export function reconstructionLoss(reconstruction: tf.Tensor, x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(reconstruction, x)));
}
