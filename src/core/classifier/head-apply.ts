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
 * - `MaxPooling2D` on wasm: tfjs-backend-wasm 4.22's MaxPoolGrad drops the gradient of windows whose
 *   maximum is ≤ 0 everywhere but in the first (image, channel) plane (a batch of two all-zero 2×2
 *   windows gives [1,0,0,0, 0,0,0,0]; the cpu backend gives [1,0,0,0, 1,0,0,0]). After a ReLU such
 *   windows are common, and Grad-CAM needs the gradient at A itself, zeros included. For the usual
 *   non-overlapping pooling (stride = pool size, sizes divisible) the gradient is computed here from the
 *   windows: dy goes to the first maximum of each window in row-major order, as the cpu kernel does.
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
  if (cls === 'MaxPooling2D' && inputs.length === 1 && tf.getBackend() === 'wasm') {
    const cfg = layer.getConfig() as { poolSize: [number, number]; strides: [number, number]; dataFormat?: string };
    const [, h, w] = inputs[0].shape as number[];
    const [ph, pw] = cfg.poolSize;
    if (cfg.dataFormat !== 'channelsFirst' && cfg.strides[0] === ph && cfg.strides[1] === pw && h % ph === 0 && w % pw === 0) {
      return windowMaxPool(inputs[0] as tf.Tensor4D, ph, pw);
    }
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

/**
 * Non-overlapping max pooling (stride = pool size, sizes divisible by it) of x [n, h, w, c], whose
 * gradient goes to the first maximum of each window in row-major order, built from reshape, argMax and
 * oneHot (all exact on wasm).
 */
function windowMaxPool(x: tf.Tensor4D, ph: number, pw: number): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([xi]);
    return {
      value: tf.maxPool(xi, [ph, pw], [ph, pw], 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx] = saved as [tf.Tensor4D];
        const [n, h, w, c] = sx.shape;
        const [ho, wo] = [h / ph, w / pw];
        // windows [n, ho, wo, c, ph·pw], each in row-major order
        const windows = sx.reshape([n, ho, ph, wo, pw, c]).transpose([0, 1, 3, 5, 2, 4]).reshape([n, ho, wo, c, ph * pw]);
        const first = tf.oneHot(windows.argMax(-1).reshape([-1]) as tf.Tensor1D, ph * pw).reshape([n, ho, wo, c, ph * pw]);
        const g = first.mul(dy.expandDims(-1));
        return g.reshape([n, ho, wo, c, ph, pw]).transpose([0, 1, 4, 2, 5, 3]).reshape([n, h, w, c]);
      },
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;
  return op(x);
}
