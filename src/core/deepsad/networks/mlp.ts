/**
 * The seed's tabular MLP (papers.md §2.5): [linear → BN1d → LReLU] per hidden width, then a linear
 * code layer; the decoder mirrors the hidden widths and ends in linear → sigmoid. Bias-free.
 * Inputs of any [h, w, c] are flattened to h·w·c features.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random';
import type { Decoder, Encoder } from './network';
import { addBatchNorm, addLinear, batchNorm, lrelu, type BatchNormVars, type Mode } from './ops';
import { ParamSet } from './params';

interface Hidden { w: tf.Variable; bn: BatchNormVars }

function hiddenStack(params: ParamSet, name: string, widths: number[], nIn: number, rng: Rng): { layers: Hidden[]; width: number } {
  const layers: Hidden[] = [];
  let width = nIn;
  widths.forEach((out, i) => {
    layers.push({ w: addLinear(params, `${name}${i + 1}`, width, out, rng), bn: addBatchNorm(params, `bn1d${i + 1}`, out) });
    width = out;
  });
  return { layers, width };
}

function runStack(f: tf.Tensor2D, layers: Hidden[], mode: Mode): tf.Tensor2D {
  for (const l of layers) f = lrelu(batchNorm(tf.matMul(f, l.w as tf.Tensor2D), l.bn, mode) as tf.Tensor2D);
  return f;
}

/** `widths` = hidden widths then the code size, e.g. [32, 16, 8]. */
export function buildMlpEncoder(widths: number[], [h, w, c]: [number, number, number], rng: Rng): Encoder {
  const params = new ParamSet('encoder');
  const repDim = widths[widths.length - 1];
  const { layers, width } = hiddenStack(params, 'hidden', widths.slice(0, -1), h * w * c, rng);
  const code = addLinear(params, 'code', width, repDim, rng);
  return {
    params,
    repDim,
    forward(x: tf.Tensor4D, mode: Mode): tf.Tensor2D {
      return tf.tidy(() => tf.matMul(runStack(x.reshape([x.shape[0], -1]), layers, mode), code as tf.Tensor2D));
    },
  };
}

/** The mirrored decoder: code → reversed hidden widths → h·w·c → sigmoid, reshaped to [N, h, w, c]. */
export function buildMlpDecoder(widths: number[], [h, w, c]: [number, number, number], rng: Rng): Decoder {
  const params = new ParamSet('decoder');
  const repDim = widths[widths.length - 1];
  const { layers, width } = hiddenStack(params, 'hidden', widths.slice(0, -1).reverse(), repDim, rng);
  const out = addLinear(params, 'reconstruction', width, h * w * c, rng);
  return {
    params,
    forward(z: tf.Tensor2D, mode: Mode): tf.Tensor4D {
      return tf.tidy(() => tf.sigmoid(tf.matMul(runStack(z, layers, mode), out as tf.Tensor2D)).reshape([z.shape[0], h, w, c]) as tf.Tensor4D);
    },
  };
}
