import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEEP_SAD_EPS, deepSadLoss, reconstructionLoss, squaredDistances } from './loss';
import { useBackend } from './test-setup';

beforeAll(() => useBackend('wasm'));

function loss(d: number[], y: number[], eta: number): number {
  return tf.tidy(() => deepSadLoss(tf.tensor1d(d), tf.tensor1d(y), eta).dataSync()[0]);
}

describe('deepSadLoss', () => {
  it('is the mean distance for unlabeled samples', () => {
    expect(loss([1, 2, 4.5], [0, 0, 0], 3)).toBeCloseTo(7.5 / 3, 6);
  });

  it('weights labeled normals by η with the +ε', () => {
    // (2 + η·(3 + ε)) / 2 with η = 2.5
    expect(loss([2, 3], [0, 1], 2.5)).toBeCloseTo((2 + 2.5 * (3 + DEEP_SAD_EPS)) / 2, 5);
  });

  it('uses η / (d + ε) for labeled anomalies', () => {
    // unlabeled 1, normal 0.5, anomaly 0.25, η = 0.5: (1 + 0.5·0.500001 + 0.5/0.250001) / 3
    const want = (1 + 0.5 * (0.5 + 1e-6) + 0.5 / (0.25 + 1e-6)) / 3;
    expect(loss([1, 0.5, 0.25], [0, 1, -1], 0.5)).toBeCloseTo(want, 5);
  });

  it('keeps an anomaly at distance 0 finite through ε', () => {
    expect(loss([0], [-1], 1)).toBeCloseTo(1e6, -1);
  });

  it('η scales only the labeled terms', () => {
    const base = loss([1, 2, 4], [0, 1, -1], 1);
    const heavy = loss([1, 2, 4], [0, 1, -1], 10);
    const labeledPart = (2 + 1e-6 + 1 / (4 + 1e-6)) / 3;
    expect(heavy - base).toBeCloseTo(9 * labeledPart, 4);
  });

  it('has the hand-computed gradient w.r.t. the distances', () => {
    const g = tf.tidy(() => tf.grad((d: tf.Tensor) => deepSadLoss(d as tf.Tensor1D, tf.tensor1d([0, 1, -1]), 2))(tf.tensor1d([1, 2, 0.5])).arraySync() as number[]);
    // d/dd of mean: [1, η, −η/(d+ε)²] / 3
    expect(g[0]).toBeCloseTo(1 / 3, 5);
    expect(g[1]).toBeCloseTo(2 / 3, 5);
    expect(g[2]).toBeCloseTo(-2 / (0.5 + 1e-6) ** 2 / 3, 4);
  });
});

describe('squaredDistances and reconstructionLoss', () => {
  it('computes ||z − c||² per row', () => {
    const d = tf.tidy(() => squaredDistances(tf.tensor2d([[1, 2], [0, 0], [-1, 3]]), tf.tensor1d([1, -1])).arraySync());
    expect(d).toEqual([9, 2, 20]);
  });

  it('is the mean squared error over every value', () => {
    const l = tf.tidy(() => reconstructionLoss(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0, 2], [3, 1]])).dataSync()[0]);
    expect(l).toBeCloseTo((1 + 0 + 0 + 9) / 4, 6);
  });
});
