import * as tf from '@tensorflow/tfjs';
import { defaultApply, type LayerNode } from './layers-topology';

/** The Conv2D config fields the unfused re-implementation reads (`layer.getConfig()`). */
interface ConvConfig {
  strides: [number, number];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: number | [number, number];
  activation: string;
  useBias: boolean;
}

/**
 * Runs a layer inside a Grad-CAM head (under `tf.grad`). Two substitutions keep the gradient with
 * respect to the activation exact on every backend:
 *
 * - `Conv2D`: tfjs-layers runs it as `tf.fused.conv2d`, whose gradient computes the filter gradient
 *   eagerly; the wasm backend has no Conv2DBackpropFilter, so that throws, and elsewhere it is wasted
 *   work. Here the same conv runs unfused (`tf.conv2d` + bias + activation), whose gradient only
 *   computes what the activation needs.
 * - `MaxPooling2D` on wasm: tfjs-backend-wasm 4.22's MaxPoolGrad drops the gradient of a window whose
 *   maximum is ≤ 0 for every image after the first of a batch (seen here: a batch of two zero windows
 *   gives [1,0,0,0, 0,0,0,0]; the cpu backend gives [1,0,0,0, 1,0,0,0]). After a ReLU such windows are
 *   common, so each image is pooled on its own (split → pool → concat), which is exact.
 *
 * - `GlobalMaxPooling2D`: tfjs's Max gradient is `dy · (x == max)` with a broadcasting `equal`, which
 *   the wasm backend runs ~50× slower than a same-shape one (35–130 ms for [32, 16, 16, 32], more than
 *   the whole forward pass). The same gradient — every position equal to the maximum gets dy — is
 *   computed here with a broadcasting subtraction and `sign`, which are fast everywhere.
 *
 * Everything else runs as the layer itself with `training: false`.
 */
export function headApply(node: LayerNode, inputs: tf.Tensor[]): tf.Tensor | tf.Tensor[] {
  const layer = node.outboundLayer;
  const cls = layer.getClassName();
  if (cls === 'Conv2D' && inputs.length === 1) {
    const cfg = layer.getConfig() as unknown as ConvConfig;
    if (cfg.dataFormat === 'channelsLast' && cfg.padding !== 'causal') {
      const [kernel, bias] = layer.getWeights();
      let y: tf.Tensor = tf.conv2d(inputs[0] as tf.Tensor4D, kernel as tf.Tensor4D, cfg.strides, cfg.padding, 'NHWC', cfg.dilationRate);
      if (cfg.useBias && bias) y = y.add(bias);
      return activate(y, cfg.activation);
    }
  }
  if (cls === 'MaxPooling2D' && inputs.length === 1 && tf.getBackend() === 'wasm' && inputs[0].shape[0] > 1) {
    const parts = tf.split(inputs[0], inputs[0].shape[0], 0);
    return tf.concat(parts.map((p) => layer.apply(p, { training: false }) as tf.Tensor), 0);
  }
  if (cls === 'GlobalMaxPooling2D' && inputs.length === 1) {
    const cfg = layer.getConfig() as { dataFormat?: string; keepDims?: boolean };
    if (cfg.dataFormat !== 'channelsFirst' && !cfg.keepDims) return globalMaxPool(inputs[0] as tf.Tensor4D);
  }
  return defaultApply(node, inputs);
}

/** max over height and width of x [n, h, w, c] → [n, c], with the gradient dy at every maximal position. */
const globalMaxPool = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
  const y = x.max([1, 2]);
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy] = saved as [tf.Tensor4D, tf.Tensor2D];
      const [n, , , c] = sx.shape;
      // sign(x − max) is 0 at the maximum and −1 elsewhere, so sign + 1 is the indicator of x == max.
      const atMax = tf.sign(sx.sub(sy.reshape([n, 1, 1, c]))).add(1);
      return dy.reshape([n, 1, 1, c]).mul(atMax);
    },
  };
}) as (x: tf.Tensor4D) => tf.Tensor2D;

const activations = new Map<string, tf.layers.Layer>();

/** Applies a Keras activation by name through a cached `tf.layers.activation` layer (no weights). */
function activate(y: tf.Tensor, name: string): tf.Tensor {
  if (!name || name === 'linear') return y;
  let layer = activations.get(name);
  if (!layer) {
    layer = tf.layers.activation({ activation: name as 'relu' });
    activations.set(name, layer);
  }
  return layer.apply(y) as tf.Tensor;
}
