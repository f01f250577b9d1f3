import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig } from '../config';
import { createRng } from '../../random';
import { useBackend } from '../test-setup';
import type { NetName } from '../types';
import { buildDecoder, buildEncoder } from './build';
import { BN_EPS, batchNorm, updateRunningStats, upsample2, type BnBatchStats } from './ops';
import { ParamSet } from './params';

beforeAll(() => useBackend('wasm'));

const NETS: [NetName, [number, number, number], number][] = [
  ['mnist_LeNet', [28, 28, 1], 32],
  ['fmnist_LeNet', [28, 28, 1], 64],
  ['cifar10_LeNet', [32, 32, 3], 128],
  ['heatmap_LeNet', [32, 32, 1], 32],
  ['mlp', [1, 1, 6], 32],
];

describe('networks', () => {
  for (const [net, shape, rep] of NETS) {
    it(`${net}: encoder → [N, ${rep}], decoder reproduces [N, ${shape}] in (0, 1), bias-free`, () => {
      const cfg = defaultConfig(net, shape);
      const enc = buildEncoder(cfg, createRng(0));
      const dec = buildDecoder(cfg, createRng(1));
      const [z, y] = tf.tidy(() => {
        const x = tf.randomUniform([3, ...shape], 0, 1, 'float32', 1) as tf.Tensor4D;
        const zt = enc.forward(x, { training: true });
        const yt = dec.forward(zt, { training: true });
        return [zt, yt];
      });
      expect(z.shape).toEqual([3, rep]);
      expect(y.shape).toEqual([3, ...shape]);
      const v = y.dataSync();
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.max(...v)).toBeLessThan(1);
      // bias-free: every trainable tensor is a weight (conv kernels rank 4, linear rank 2); BN adds only running stats
      for (const e of [...enc.params.entries, ...dec.params.entries]) {
        if (e.trainable) expect(e.name).toMatch(/\.weight$/);
        else expect(e.name).toMatch(/running_(mean|var)$/);
      }
      tf.dispose([z, y]);
      enc.params.dispose();
      dec.params.dispose();
    });
  }

  it('the encoder init is the same whether or not a decoder follows (seeded)', () => {
    const cfg = defaultConfig('mnist_LeNet', [28, 28, 1]);
    const a = buildEncoder(cfg, createRng(7));
    const b = buildEncoder(cfg, createRng(7));
    expect(Array.from(a.params.entries[0].variable.dataSync())).toEqual(Array.from(b.params.entries[0].variable.dataSync()));
    // PyTorch's default conv init: U(±1/√(cin·k·k)) = ±0.2 for conv1 (1·5·5)
    const w = a.params.entries[0].variable.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.2);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.18);
    a.params.dispose();
    b.params.dispose();
  });
});

describe('BatchNorm without affine parameters', () => {
  it('normalises with batch statistics in training and running statistics in eval', () => {
    const ps = new ParamSet('t');
    const bn = { runningMean: ps.add('m', [2], Float32Array.from([1, -2])), runningVar: ps.add('v', [2], Float32Array.from([4, 0.25])) };
    const x = tf.tensor2d([[1, 0], [3, 2], [5, 4]]);
    const evalOut = tf.tidy(() => batchNorm(x, bn, { training: false }).arraySync() as number[][]);
    expect(evalOut[1][0]).toBeCloseTo((3 - 1) / Math.sqrt(4 + BN_EPS), 5);
    expect(evalOut[2][1]).toBeCloseTo((4 + 2) / Math.sqrt(0.25 + BN_EPS), 4);
    const stats: BnBatchStats[] = [];
    const trainOut = tf.tidy(() => batchNorm(x, bn, { training: true, stats }).arraySync() as number[][]);
    // column 0: mean 3, biased var 8/3
    expect(trainOut[0][0]).toBeCloseTo((1 - 3) / Math.sqrt(8 / 3 + BN_EPS), 5);
    expect(stats).toHaveLength(1);
    expect(stats[0].count).toBe(3);
    updateRunningStats(stats);
    // PyTorch: running = 0.9·running + 0.1·batch, variance unbiased (n/(n−1) = 3/2 · 8/3 = 4)
    const [m, v] = [bn.runningMean.dataSync(), bn.runningVar.dataSync()];
    expect(m[0]).toBeCloseTo(0.9 * 1 + 0.1 * 3, 6);
    expect(m[1]).toBeCloseTo(0.9 * -2 + 0.1 * 2, 6);
    expect(v[0]).toBeCloseTo(0.9 * 4 + 0.1 * 4, 6);
    expect(v[1]).toBeCloseTo(0.9 * 0.25 + 0.1 * 4, 6);
    x.dispose();
    ps.dispose();
  });

  it('upsamples ×2 by repeating each pixel into a 2×2 block', () => {
    const y = tf.tidy(() => upsample2(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])).reshape([4, 4]).arraySync());
    expect(y).toEqual([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
  });
});

describe('autoencoder gradients agree across backends', () => {
  it('mnist_LeNet encoder + decoder: wasm gradients equal cpu gradients', async () => {
    const cfg = defaultConfig('mnist_LeNet', [28, 28, 1]);
    const x = Float32Array.from({ length: 6 * 784 }, (_, i) => Math.max(0, Math.sin(i * 0.731) * Math.cos(i * 0.0173)));
    const grads: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const enc = buildEncoder(cfg, createRng(0));
      const dec = buildDecoder(cfg, createRng(1));
      const vars = [...enc.params.trainable(), ...dec.params.trainable()];
      grads[backend] = tf.tidy(() => {
        const xt = tf.tensor4d(x, [6, 28, 28, 1]);
        const { grads: g } = tf.variableGrads(() => tf.mean(tf.squaredDifference(dec.forward(enc.forward(xt, { training: true }), { training: true }), xt)) as tf.Scalar, vars);
        return vars.map((v) => g[v.name].dataSync() as Float32Array);
      });
      enc.params.dispose();
      dec.params.dispose();
    }
    await useBackend('wasm');
    grads.cpu.forEach((g, k) => {
      const scale = Math.max(...g.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-4);
      g.forEach((v, i) => expect(Math.abs(v - grads.wasm[k][i])).toBeLessThan(1e-4 * scale));
    });
  });
});
