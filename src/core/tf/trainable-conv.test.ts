import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { chooseConvVariant, conv2dFwdConv, conv2dShiftT, conv2dViaConv3d, padAmounts, trainableConv2d, type ConvPad } from './trainable-conv';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad) => tf.Tensor4D;
interface Case { xs: [number, number, number, number]; ws: [number, number, number, number]; pad: ConvPad }

/** y, dL/dx and dL/dw for L = sum(conv(x, w) · g), as plain arrays. */
function run(conv: Conv, c: Case): { y: Float32Array; dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.xs.reduce((a, b) => a * b), 1), c.xs);
    const w = tf.tensor4d(values(c.ws.reduce((a, b) => a * b), 2), c.ws);
    const y = conv(x, w, c.pad);
    const g = tf.tensor(values(y.size, 3), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a as tf.Tensor4D, b as tf.Tensor4D, c.pad).mul(g).sum())([x, w]);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const CASES: Case[] = [
  { xs: [2, 7, 9, 3], ws: [3, 3, 3, 8], pad: 'same' },
  { xs: [2, 8, 8, 1], ws: [5, 5, 1, 8], pad: 'same' },
  { xs: [3, 6, 5, 8], ws: [5, 5, 8, 4], pad: 2 },
  { xs: [2, 8, 8, 4], ws: [5, 5, 4, 8], pad: 1 },
  { xs: [1, 9, 7, 2], ws: [3, 3, 2, 5], pad: 'valid' },
  { xs: [2, 6, 6, 3], ws: [4, 4, 3, 2], pad: 'same' },
  { xs: [2, 6, 7, 2], ws: [3, 3, 2, 3], pad: 4 },
];

describe('trainableConv2d variants match cpu tf.conv2d (values and both gradients)', () => {
  let refs: ReturnType<typeof run>[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    refs = CASES.map((c) => run((x, w, p) => tf.conv2d(x, w, 1, p), c));
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  for (const backend of ['wasm', 'cpu']) {
    for (const [name, conv] of [['conv3d', conv2dViaConv3d], ['shiftT', conv2dShiftT], ['fwdConv', conv2dFwdConv], ['auto', trainableConv2d]] as const) {
      it(`${name} on ${backend}`, async () => {
        await tf.setBackend(backend);
        CASES.forEach((c, k) => {
          const got = run(conv, c);
          const ref = refs[k];
          // The reference gradients reach |dw| ≈ 20 here; 1e-4 is float32 summation-order noise.
          expect(maxAbsDiff(got.y, ref.y)).toBeLessThan(1e-4);
          expect(maxAbsDiff(got.dx, ref.dx)).toBeLessThan(1e-4);
          expect(maxAbsDiff(got.dw, ref.dw)).toBeLessThan(1e-4);
          expect(Math.max(...ref.dw.map(Math.abs))).toBeGreaterThan(1);
        });
      });
    }
  }

  it('conv3d on cpu is bit-identical to tf.conv2d', async () => {
    await tf.setBackend('cpu');
    const got = run(conv2dViaConv3d, CASES[0]);
    expect(maxAbsDiff(got.y, refs[0].y)).toBe(0);
    expect(maxAbsDiff(got.dw, refs[0].dw)).toBe(0);
  });

  it('fwdConv with inputGradient false keeps dw and returns a zero dx', async () => {
    await tf.setBackend('wasm');
    const c = CASES[2];
    const got = run((x, w, p) => conv2dFwdConv(x, w, p, { inputGradient: false }), c);
    expect(maxAbsDiff(got.dw, refs[2].dw)).toBeLessThan(1e-4);
    expect(Math.max(...got.dx.map(Math.abs))).toBe(0);
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run(trainableConv2d, CASES[2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('chooseConvVariant and padAmounts', () => {
  it('picks by backend', () => {
    expect(chooseConvVariant('webgl', 1)).toBe('conv2d');
    expect(chooseConvVariant('webgpu', 8)).toBe('conv2d');
    expect(chooseConvVariant('cpu', 8)).toBe('conv3d');
    expect(chooseConvVariant('wasm', 1)).toBe('fwdConv');
    expect(chooseConvVariant('wasm')).toBe('fwdConv');
  });
  it('follows TensorFlow: the extra pad of an even kernel goes after', () => {
    expect(padAmounts('same', 5, 4)).toEqual([[2, 2], [1, 2]]);
    expect(padAmounts(3, 5, 5)).toEqual([[3, 3], [3, 3]]);
    expect(padAmounts('valid', 5, 5)).toEqual([[0, 0], [0, 0]]);
    expect(() => padAmounts(-1, 3, 3)).toThrow(/integer ≥ 0/);
  });
});
