import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { headApply } from './head-apply';
import type { LayerNode } from './layers-topology';

/** A node applying `layer` (the head substitutions only read the layer). */
function nodeOf(layer: tf.layers.Layer, inShape: number[]): LayerNode {
  layer.apply(tf.input({ shape: inShape }));
  return { outboundLayer: layer, inputTensors: [], outputTensors: [] };
}

/** Forward values and the gradient of Σ w·f(x), on a backend. */
async function forwardAndGrad(backend: string, f: (x: tf.Tensor) => tf.Tensor, x: number[], shape: number[]): Promise<[number[], number[]]> {
  await tf.setBackend(backend);
  let out: [number[], number[]] = [[], []];
  tf.tidy(() => {
    const t = tf.tensor(x, shape);
    const y = f(t);
    const w = tf.tensor(Array.from({ length: y.size }, (_, i) => (i % 5) - 2), y.shape);
    const g = tf.grad((a: tf.Tensor) => f(a).mul(w).sum())(t);
    // + 0 turns −0 into 0: the backends differ in the sign of zero gradients, which does not matter.
    out = [Array.from(y.dataSync(), (v) => v + 0), Array.from(g.dataSync(), (v) => v + 0)];
  });
  return out;
}

// Post-ReLU values: many zeros, so many windows whose maximum is 0 (ties).
const X = Array.from({ length: 3 * 4 * 4 * 2 }, (_, i) => Math.max(0, ((i * 37) % 11) - 7));
const SHAPE = [3, 4, 4, 2];

describe('headApply on wasm equals the cpu backend', () => {
  it('MaxPooling2D: value and gradient (first maximum of each window gets dy)', async () => {
    const node = nodeOf(tf.layers.maxPooling2d({ poolSize: 2 }), [4, 4, 2]);
    const [cpuY, cpuG] = await forwardAndGrad('cpu', (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), X, SHAPE);
    const [wasmY, wasmG] = await forwardAndGrad('wasm', (x) => headApply(node, [x]) as tf.Tensor, X, SHAPE);
    expect(wasmY).toEqual(cpuY);
    expect(wasmG).toEqual(cpuG);
    // the bug this works around: wasm's own MaxPoolGrad loses gradient here
    const [, rawG] = await forwardAndGrad('wasm', (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), X, SHAPE);
    expect(rawG).not.toEqual(cpuG);
  });

  it('GlobalMaxPooling2D and Conv2D: value and gradient', async () => {
    const gmp = nodeOf(tf.layers.globalMaxPooling2d({}), [4, 4, 2]);
    const [cpuY, cpuG] = await forwardAndGrad('cpu', (x) => x.max([1, 2]), X, SHAPE);
    const [wasmY, wasmG] = await forwardAndGrad('wasm', (x) => headApply(gmp, [x]) as tf.Tensor, X, SHAPE);
    expect(wasmY).toEqual(cpuY);
    expect(wasmG).toEqual(cpuG);

    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' });
    const cnode = nodeOf(conv, [4, 4, 2]);
    conv.setWeights([tf.tensor4d(Array.from({ length: 54 }, (_, i) => ((i * 7) % 9) / 9 - 0.4), [3, 3, 2, 3]), tf.tensor1d([0.1, -0.2, 0.3])]);
    const [cpuCY, cpuCG] = await forwardAndGrad('cpu', (x) => conv.apply(x) as tf.Tensor, X, SHAPE);
    const [wasmCY, wasmCG] = await forwardAndGrad('wasm', (x) => headApply(cnode, [x]) as tf.Tensor, X, SHAPE);
    wasmCY.forEach((v, i) => expect(v).toBeCloseTo(cpuCY[i], 5));
    wasmCG.forEach((v, i) => expect(v).toBeCloseTo(cpuCG[i], 5));
  });
});
