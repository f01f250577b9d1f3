/**
 * The two bundled demo classifiers, each defined twice from one layer list: as a functional network
 * over tf.Variables (trained in Node through `trainableConv2d`, since wasm cannot train `tf.conv2d`)
 * and as a tfjs LayersModel of the same architecture (what is exported and what the app loads).
 *
 * - `vgg_small`: VGG-style plain stack, conv 8 → pool → conv 16 → pool → conv 32 → conv 32 →
 *   global max pool → dense 3 (softmax).
 * - `resnet_small`: ResNet-style, conv 8 → pool → conv 24 → pool → residual block (conv 24 → conv 24,
 *   identity skip, add, relu) → global max pool → dense 3 (softmax).
 * All convs are 3×3, stride 1, 'same', with bias. Global MAX pooling: with average pooling these
 * nets did not learn within a CPU budget (shared/notes/audit-calibration.md).
 */
import * as tf from '@tensorflow/tfjs';
import { trainableConv2d } from '../../src/core/tf/trainable-conv';

/** Names of the bundled architectures. */
export type ArchitectureName = 'vgg_small' | 'resnet_small';

/** A conv layer: 3×3 kernel, `filters` outputs, optional relu. */
interface ConvSpec {
  name: string;
  cin: number;
  filters: number;
  relu: boolean;
}

/** One architecture: its parameters, functional forward pass and LayersModel twin. */
export interface Architecture {
  name: ArchitectureName;
  /** Input [h, w, 3]. */
  inputShape: [number, number, number];
  convs: readonly ConvSpec[];
  /** Dense head: from the pooled features to the class logits. */
  dense: { name: string; units: number; inputs: number };
  /** Logits [n, classes] of x [n, h, w, 3] (already normalised), using `trainableConv2d`. */
  forward(p: Params, x: tf.Tensor4D): tf.Tensor2D;
  /** The LayersModel of the same architecture (softmax output), with fresh weights. */
  build(): tf.LayersModel;
}

/** Parameters by `<layer>/kernel` and `<layer>/bias`. */
export type Params = Record<string, tf.Variable>;

/** The class count of the insulator demo. */
const CLASSES = 3;

function conv(p: Params, x: tf.Tensor4D, s: ConvSpec): tf.Tensor4D {
  const y = tf.add(trainableConv2d(x, p[`${s.name}/kernel`] as tf.Tensor4D, 'same'), p[`${s.name}/bias`]) as tf.Tensor4D;
  return s.relu ? tf.relu(y) : y;
}

const pool = (x: tf.Tensor4D): tf.Tensor4D => tf.maxPool(x, 2, 2, 'valid');
const gmp = (x: tf.Tensor4D): tf.Tensor2D => tf.max(x, [1, 2]) as tf.Tensor2D;
const dense = (p: Params, name: string, x: tf.Tensor2D): tf.Tensor2D => tf.add(tf.matMul(x, p[`${name}/kernel`] as tf.Tensor2D), p[`${name}/bias`]) as tf.Tensor2D;

function convLayer(s: ConvSpec): tf.layers.Layer {
  return tf.layers.conv2d({ name: s.name, filters: s.filters, kernelSize: 3, padding: 'same', useBias: true, activation: s.relu ? 'relu' : 'linear' });
}

/** `vgg_small` for a size×size×3 input. */
export function vggSmall(size = 64): Architecture {
  const convs: ConvSpec[] = [
    { name: 'conv_1', cin: 3, filters: 8, relu: true },
    { name: 'conv_2', cin: 8, filters: 16, relu: true },
    { name: 'conv_3', cin: 16, filters: 32, relu: true },
    { name: 'conv_4', cin: 32, filters: 32, relu: true },
  ];
  const [c1, c2, c3, c4] = convs;
  return {
    name: 'vgg_small',
    inputShape: [size, size, 3],
    convs,
    dense: { name: 'logits', units: CLASSES, inputs: c4.filters },
    forward: (p, x) => dense(p, 'logits', gmp(conv(p, conv(p, pool(conv(p, pool(conv(p, x, c1)), c2)), c3), c4))),
    build() {
      const m = tf.sequential({ name: 'vgg_small' });
      m.add(tf.layers.inputLayer({ inputShape: [size, size, 3], name: 'image' }));
      m.add(convLayer(c1));
      m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool_1' }));
      m.add(convLayer(c2));
      m.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool_2' }));
      m.add(convLayer(c3));
      m.add(convLayer(c4));
      m.add(tf.layers.globalMaxPooling2d({ name: 'global_max_pool' }));
      m.add(tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'logits' }));
      return m;
    },
  };
}

/** `resnet_small` for a size×size×3 input. */
export function resnetSmall(size = 64): Architecture {
  const convs: ConvSpec[] = [
    { name: 'conv_1', cin: 3, filters: 8, relu: true },
    { name: 'conv_2', cin: 8, filters: 24, relu: true },
    { name: 'res_a', cin: 24, filters: 24, relu: true },
    { name: 'res_b', cin: 24, filters: 24, relu: false },
  ];
  const [c1, c2, ra, rb] = convs;
  return {
    name: 'resnet_small',
    inputShape: [size, size, 3],
    convs,
    dense: { name: 'logits', units: CLASSES, inputs: rb.filters },
    forward(p, x) {
      const h = pool(conv(p, pool(conv(p, x, c1)), c2));
      const r = tf.relu(tf.add(h, conv(p, conv(p, h, ra), rb))) as tf.Tensor4D;
      return dense(p, 'logits', gmp(r));
    },
    build() {
      const input = tf.input({ shape: [size, size, 3], name: 'image' });
      let h = convLayer(c1).apply(input) as tf.SymbolicTensor;
      h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool_1' }).apply(h) as tf.SymbolicTensor;
      h = convLayer(c2).apply(h) as tf.SymbolicTensor;
      h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool_2' }).apply(h) as tf.SymbolicTensor;
      const a = convLayer(ra).apply(h) as tf.SymbolicTensor;
      const b = convLayer(rb).apply(a) as tf.SymbolicTensor;
      let r = tf.layers.add({ name: 'res_add' }).apply([h, b]) as tf.SymbolicTensor;
      r = tf.layers.activation({ activation: 'relu', name: 'res_relu' }).apply(r) as tf.SymbolicTensor;
      const g = tf.layers.globalMaxPooling2d({ name: 'global_max_pool' }).apply(r) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'logits' }).apply(g) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out, name: 'resnet_small' });
    },
  };
}

/** The architecture of a name. */
export function architecture(name: ArchitectureName, size = 64): Architecture {
  return name === 'vgg_small' ? vggSmall(size) : resnetSmall(size);
}

/**
 * Fresh parameters: Glorot-uniform kernels (Keras' default, so the functional and layers twins start
 * alike in distribution) from a seeded tfjs generator, zero biases.
 */
export function initParams(arch: Architecture, seed: number): Params {
  const p: Params = {};
  const glorot = (shape: number[], fanIn: number, fanOut: number, s: number): tf.Variable => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', s));
  };
  arch.convs.forEach((c, i) => {
    p[`${c.name}/kernel`] = glorot([3, 3, c.cin, c.filters], 9 * c.cin, 9 * c.filters, seed * 101 + i);
    p[`${c.name}/bias`] = tf.variable(tf.zeros([c.filters]));
  });
  const d = arch.dense;
  p[`${d.name}/kernel`] = glorot([d.inputs, d.units], d.inputs, d.units, seed * 101 + 99);
  p[`${d.name}/bias`] = tf.variable(tf.zeros([d.units]));
  return p;
}

/** Copies trained parameters into the LayersModel twin, layer by layer (kernel, bias). */
export function copyIntoModel(arch: Architecture, p: Params, model: tf.LayersModel): void {
  for (const name of [...arch.convs.map((c) => c.name), arch.dense.name]) {
    model.getLayer(name).setWeights([p[`${name}/kernel`], p[`${name}/bias`]]);
  }
}
