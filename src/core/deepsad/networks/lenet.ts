/**
 * The LeNet-type encoders and mirrored decoders of Deep-SAD-PyTorch (papers.md §2.5), from one
 * parametric builder. Encoder: [conv5×5 (pad 2) → BN → LReLU → maxpool 2] per entry of `convs`,
 * flatten, optional [linear → BN1d → LReLU], linear → repDim. Decoder: code → [optional linear →
 * BN1d] → view as C0×4×4 → LReLU → per transposed conv: [×2 upsample] → convT5×5 → BN → LReLU,
 * the last one followed by a sigmoid.
 *
 * Two layout notes, both equivalent re-parameterisations of the reference:
 * - Flatten/view are NHWC here (PyTorch is NCHW): the linear weights' rows are permuted, nothing else.
 * - A stride-1 ConvTranspose2d(k, pad p) is a conv with the spatially flipped kernel and pad k−1−p; the
 *   kernel is stored directly in conv form [k, k, cin, cout], so training runs through trainableConv2d
 *   (conv2dTranspose's filter gradient needs Conv2DBackpropFilter, which wasm lacks). Its init follows
 *   PyTorch's ConvTranspose2d (fan_in = cout·k·k) or, for cifar10_LeNet, xavier-uniform with the leaky-ReLU gain.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random';
import type { Decoder, Encoder } from './network';
import { addBatchNorm, addConv, addLinear, batchNorm, conv, flatten, lrelu, pool, upsample2, type BatchNormVars, type Mode } from './ops';
import { kaimingUniform, LEAKY_RELU_GAIN, ParamSet, xavierUniform } from './params';

/** Architecture of one LeNet variant. */
export interface LeNetSpec {
  /** Output channels of the encoder's conv blocks (each halves the spatial size). */
  convs: number[];
  /** Width of the encoder's hidden linear + BN1d + LReLU layer (fmnist_LeNet: 128), if any. */
  hidden?: number;
  repDim: number;
  /** Width of the decoder's first linear + BN1d (fmnist_LeNet: 128), if any; else the code itself is viewed as (repDim/16)×4×4. */
  decoderFc?: number;
  /** Output channels of the decoder's transposed convs except the last (which outputs the input channels). */
  deconvs: number[];
  /** ConvTranspose padding of each transposed conv, last included (pad 3 turns 16×16 into 14×14). */
  deconvPads: number[];
  /** Upsample before the first transposed conv (MNIST-style) or only between them (CIFAR-style). */
  upsampleFirst: boolean;
  /** Init the transposed convs with xavier-uniform × leaky-ReLU gain (the CIFAR-10 decoder). */
  xavierDecoder: boolean;
}

/** mnist_LeNet: 1×28×28 → 8 → 4 channels → 4·7·7 → 32. */
export const MNIST_LENET: LeNetSpec = { convs: [8, 4], repDim: 32, deconvs: [4, 8], deconvPads: [2, 3, 2], upsampleFirst: true, xavierDecoder: false };
/** fmnist_LeNet: 1×28×28 → 16 → 32 channels → 32·7·7 → 128 (BN1d, LReLU) → 64. */
export const FMNIST_LENET: LeNetSpec = {
  convs: [16, 32], hidden: 128, repDim: 64, decoderFc: 128, deconvs: [32, 16], deconvPads: [2, 3, 2], upsampleFirst: true, xavierDecoder: false,
};
/** cifar10_LeNet: 3×32×32 → 32 → 64 → 128 channels → 128·4·4 → 128. */
export const CIFAR10_LENET: LeNetSpec = { convs: [32, 64, 128], repDim: 128, deconvs: [128, 64, 32], deconvPads: [2, 2, 2, 2], upsampleFirst: false, xavierDecoder: true };
/**
 * heatmap_LeNet (ours): 1×32×32 Grad-CAM maps → 4 → 8 → 16 channels → 16·4·4 → 32. The structure of
 * cifar10_LeNet (three blocks down to 4×4, the same decoder pattern) with mnist_LeNet's capacity: the maps
 * are smooth blobs with less detail than digits, and a training step costs about 1.6× an mnist_LeNet step
 * instead of about 10× with cifar10_LeNet's widths.
 */
export const HEATMAP_LENET: LeNetSpec = { convs: [4, 8, 16], repDim: 32, deconvs: [16, 8, 4], deconvPads: [2, 2, 2, 2], upsampleFirst: false, xavierDecoder: true };

/** Builds the encoder of `spec` for inputs [h, w, c]; draws its init from `rng`. */
export function buildLeNetEncoder(spec: LeNetSpec, [h, w, c]: [number, number, number], rng: Rng): Encoder {
  const params = new ParamSet('encoder');
  const blocks: { w: tf.Variable; bn: BatchNormVars }[] = [];
  let cin = c;
  spec.convs.forEach((cout, i) => {
    blocks.push({ w: addConv(params, `conv${i + 1}`, 5, cin, cout, rng), bn: addBatchNorm(params, `bn2d${i + 1}`, cout) });
    cin = cout;
  });
  const scale = 2 ** spec.convs.length;
  let width = (h / scale) * (w / scale) * cin;
  let hidden: { w: tf.Variable; bn: BatchNormVars } | null = null;
  if (spec.hidden) {
    hidden = { w: addLinear(params, 'fc_hidden', width, spec.hidden, rng), bn: addBatchNorm(params, 'bn1d', spec.hidden) };
    width = spec.hidden;
  }
  const code = addLinear(params, 'fc_code', width, spec.repDim, rng);
  return {
    params,
    repDim: spec.repDim,
    forward(x: tf.Tensor4D, mode: Mode): tf.Tensor2D {
      return tf.tidy(() => {
        let t = x;
        blocks.forEach((b, i) => {
          t = pool(lrelu(batchNorm(conv(t, b.w, 2, i === 0), b.bn, mode) as tf.Tensor4D));
        });
        let f = flatten(t);
        if (hidden) f = lrelu(batchNorm(tf.matMul(f, hidden.w as tf.Tensor2D), hidden.bn, mode) as tf.Tensor2D);
        return tf.matMul(f, code as tf.Tensor2D);
      });
    },
  };
}

/** Builds the decoder mirroring {@link buildLeNetEncoder} for outputs [h, w, c]. */
export function buildLeNetDecoder(spec: LeNetSpec, [, , c]: [number, number, number], rng: Rng): Decoder {
  const params = new ParamSet('decoder');
  let fc: { w: tf.Variable; bn: BatchNormVars } | null = null;
  let c0 = spec.repDim / 16;
  if (spec.decoderFc) {
    fc = { w: addLinear(params, 'fc', spec.repDim, spec.decoderFc, rng), bn: addBatchNorm(params, 'bn1d', spec.decoderFc) };
    c0 = spec.decoderFc / 16;
  }
  const outs = [...spec.deconvs, c];
  const layers: { w: tf.Variable; pad: number; bn: BatchNormVars | null }[] = [];
  let cin = c0;
  outs.forEach((cout, i) => {
    const n = 25 * cin * cout;
    // ConvTranspose2d's weight is [cin, cout, k, k], so PyTorch takes fan_in = cout·k·k for it.
    const init = spec.xavierDecoder ? xavierUniform(n, cout * 25, cin * 25, LEAKY_RELU_GAIN, rng) : kaimingUniform(n, cout * 25, rng);
    const last = i === outs.length - 1;
    layers.push({
      w: params.add(`deconv${i + 1}.weight`, [5, 5, cin, cout], init),
      pad: 4 - spec.deconvPads[i],
      bn: last ? null : addBatchNorm(params, `bn2d_dec${i + 1}`, cout),
    });
    cin = cout;
  });
  return {
    params,
    forward(z: tf.Tensor2D, mode: Mode): tf.Tensor4D {
      return tf.tidy(() => {
        let f: tf.Tensor2D = z;
        if (fc) f = batchNorm(tf.matMul(f, fc.w as tf.Tensor2D), fc.bn, mode) as tf.Tensor2D;
        let t = lrelu(f.reshape([f.shape[0], 4, 4, c0]) as tf.Tensor4D);
        layers.forEach((l, i) => {
          if (i > 0 || spec.upsampleFirst) t = upsample2(t);
          t = conv(t, l.w, l.pad);
          if (l.bn) t = lrelu(batchNorm(t, l.bn, mode) as tf.Tensor4D);
        });
        return tf.sigmoid(t);
      });
    },
  };
}
