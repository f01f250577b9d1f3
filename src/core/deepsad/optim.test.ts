import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CoupledAdam, lrAt } from './optim';
import { useBackend } from './test-setup';

beforeAll(() => useBackend('wasm'));

/** Reference Adam (PyTorch, weight_decay coupled into the gradient) on a scalar, in float64. */
function adamByHand(w0: number, grads: (w: number) => number, lr: number, wd: number, steps: number): number {
  let w = w0;
  let m = 0;
  let v = 0;
  for (let t = 1; t <= steps; t++) {
    const g = grads(w) + wd * w;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    const mh = m / (1 - 0.9 ** t);
    const vh = v / (1 - 0.999 ** t);
    w -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
  }
  return w;
}

describe('CoupledAdam', () => {
  it('matches a hand-computed Adam with gradient += λ·w (loss = 3(w − 2)², λ = 1)', () => {
    const w = tf.variable(tf.scalar(1.5));
    const opt = new CoupledAdam([w], 0.1, 1);
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => tf.mul(3, tf.square(tf.sub(w, 2))) as tf.Scalar, [w]);
      opt.step(grads);
      value.dispose();
      tf.dispose(Object.values(grads));
    }
    const want = adamByHand(1.5, (x) => 6 * (x - 2), 0.1, 1, 3);
    expect(w.dataSync()[0]).toBeCloseTo(want, 5);
    // and the decay mattered: without it the result differs
    expect(Math.abs(want - adamByHand(1.5, (x) => 6 * (x - 2), 0.1, 0, 3))).toBeGreaterThan(1e-2);
    opt.dispose();
    w.dispose();
  });

  it('flips the step direction when λ·w outweighs the loss gradient', () => {
    const w = tf.variable(tf.scalar(-3));
    const opt = new CoupledAdam([w], 0.01, 1);
    // loss = w → gradient 1; with decay: 1 + 1·(−3) = −2 < 0, so w increases by lr
    const { value, grads } = tf.variableGrads(() => tf.sum(w) as tf.Scalar, [w]);
    opt.step(grads);
    expect(w.dataSync()[0]).toBeCloseTo(-3 + 0.01, 5);
    tf.dispose([value, ...Object.values(grads)]);
    opt.dispose();
    w.dispose();
  });

  it('uses a changed learning rate on the next step', () => {
    const w = tf.variable(tf.scalar(0));
    const opt = new CoupledAdam([w], 1, 0);
    opt.lr = 0.001;
    const { value, grads } = tf.variableGrads(() => tf.sum(w) as tf.Scalar, [w]);
    opt.step(grads);
    expect(w.dataSync()[0]).toBeCloseTo(-0.001, 6);
    tf.dispose([value, ...Object.values(grads)]);
    opt.dispose();
    w.dispose();
  });
});

describe('lrAt (multi-step ×0.1)', () => {
  it('drops after each milestone epoch (0-based epoch index)', () => {
    const lr = (e: number) => lrAt(1e-4, [50, 100], e);
    expect(lr(0)).toBe(1e-4);
    expect(lr(49)).toBe(1e-4);
    expect(lr(50)).toBeCloseTo(1e-5, 12);
    expect(lr(99)).toBeCloseTo(1e-5, 12);
    expect(lr(100)).toBeCloseTo(1e-6, 12);
    expect(lrAt(0.1, [], 1000)).toBe(0.1);
  });
});
