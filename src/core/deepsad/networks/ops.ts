/**
 * The building blocks of the Deep SAD networks as plain functions over `tf.Variable`s: bias-free
 * conv/linear, BatchNorm without affine parameters, leaky ReLU (slope 0.01), 2×2 max pool, ×2
 * nearest upsampling. Convolutions go through {@link trainableConv2d}, so they train on wasm too.
 */
import * as tf from '@tensorflow/tfjs';
import { trainableConv2d, type ConvPad } from '../../tf/trainable-conv';
import { kaimingUniform, type ParamSet } from './params';
import { maxPool2x2, upsample2x } from './resample';
import type { Rng } from '../../random';

/** BatchNorm epsilon of the reference networks. */
export const BN_EPS = 1e-4;
/** PyTorch's BatchNorm momentum: running = 0.9·running + 0.1·batch. */
export const BN_MOMENTUM = 0.1;
/** F.leaky_relu's default negative slope (the reference code; the Deep SVDD paper says 0.1). */
export const LEAKY_SLOPE = 0.01;

/** The batch statistics of one BatchNorm layer in a training forward pass, for the running-stat update. */
export interface BnBatchStats {
  runningMean: tf.Variable;
  runningVar: tf.Variable;
  /** Batch mean and biased variance, kept (`tf.keep`): whoever consumes them disposes them. */
  mean: tf.Tensor;
  variance: tf.Tensor;
  /** Number of values each statistic was computed over (N·H·W or N). */
  count: number;
}

/**
 * Forward-pass mode. Training normalises with batch statistics and appends them to `stats` (when
 * given) so the caller can update the running statistics after a successful step; eval uses the
 * running statistics, so scores do not depend on the batch.
 */
export type Mode = { training: false } | { training: true; stats?: BnBatchStats[] };

/** A BatchNorm layer with affine=False: two non-trainable variables (running mean 0, variance 1). */
export interface BatchNormVars {
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/** Adds the running statistics of a BatchNorm over `channels` to `params`. */
export function addBatchNorm(params: ParamSet, name: string, channels: number): BatchNormVars {
  return {
    runningMean: params.add(`${name}.running_mean`, [channels], new Float32Array(channels), false),
    runningVar: params.add(`${name}.running_var`, [channels], new Float32Array(channels).fill(1), false),
  };
}

/** BatchNorm over every axis but the last (channels), without scale or shift. */
export function batchNorm(x: tf.Tensor, bn: BatchNormVars, mode: Mode): tf.Tensor {
  if (!mode.training) return tf.div(tf.sub(x, bn.runningMean), tf.sqrt(tf.add(bn.runningVar, BN_EPS)));
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  if (mode.stats) {
    const count = x.size / x.shape[x.rank - 1];
    mode.stats.push({ ...bn, mean: tf.keep(mean), variance: tf.keep(variance), count });
  }
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS)));
}

/**
 * Folds batch statistics into the running ones as PyTorch does (momentum 0.1, unbiased batch
 * variance n/(n−1)) and disposes them.
 */
export function updateRunningStats(stats: BnBatchStats[]): void {
  for (const s of stats) {
    tf.tidy(() => {
      const unbiased = s.count > 1 ? s.variance.mul(s.count / (s.count - 1)) : s.variance;
      s.runningMean.assign(s.runningMean.mul(1 - BN_MOMENTUM).add(s.mean.mul(BN_MOMENTUM)));
      s.runningVar.assign(s.runningVar.mul(1 - BN_MOMENTUM).add(unbiased.mul(BN_MOMENTUM)));
    });
  }
  disposeStats(stats);
}

/** Disposes kept batch statistics without using them (a rejected step). */
export function disposeStats(stats: BnBatchStats[]): void {
  for (const s of stats) {
    s.mean.dispose();
    s.variance.dispose();
  }
  stats.length = 0;
}

/** A bias-free conv kernel [k, k, cin, cout] with PyTorch's Conv2d init (fan_in = cin·k·k). */
export function addConv(params: ParamSet, name: string, k: number, cin: number, cout: number, rng: Rng): tf.Variable {
  return params.add(`${name}.weight`, [k, k, cin, cout], kaimingUniform(k * k * cin * cout, cin * k * k, rng));
}

/** A bias-free linear weight [in, out] with PyTorch's Linear init (fan_in = in). */
export function addLinear(params: ParamSet, name: string, nIn: number, nOut: number, rng: Rng): tf.Variable {
  return params.add(`${name}.weight`, [nIn, nOut], kaimingUniform(nIn * nOut, nIn, rng));
}

/** Stride-1 conv with `w` [k, k, cin, cout]; `isInput`: x is the network input (its gradient is not needed). */
export function conv(x: tf.Tensor4D, w: tf.Variable, pad: ConvPad, isInput = false): tf.Tensor4D {
  return trainableConv2d(x, w as tf.Tensor4D, pad, { inputGradient: !isInput });
}

/** Leaky ReLU, slope 0.01. */
export function lrelu<T extends tf.Tensor>(x: T): T {
  return tf.leakyRelu(x, LEAKY_SLOPE);
}

/** 2×2 max pool, stride 2 (with a hand-written gradient: wasm's MaxPoolGrad is wrong, see resample.ts). */
export function pool(x: tf.Tensor4D): tf.Tensor4D {
  return maxPool2x2(x);
}

/** ×2 nearest-neighbour upsampling, as F.interpolate(scale_factor=2) (hand-written gradient: cpu's is wrong, see resample.ts). */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return upsample2x(x);
}

/** [N, H, W, C] → [N, H·W·C]. */
export function flatten(x: tf.Tensor4D): tf.Tensor2D {
  return x.reshape([x.shape[0], -1]);
}
