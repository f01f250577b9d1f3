import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test-setup';
import { maxPool2x2, upsample2x } from './resample';

const [N, H, W, C] = [2, 6, 6, 3];
const idx = (n: number, h: number, w: number, c: number, hh: number, ww: number) => ((n * hh + h) * ww + w) * C + c;
/** Values with all-negative windows, positive ones, and exact ties (a constant block). */
const xs = Array.from({ length: N * H * W * C }, (_, i) => (i >= 36 && i < 48 ? 0.25 : Math.sin(i * 1.7) * 2 - 0.5));

/**
 * By hand: the maximum of each window gets the gradient; tied maxima: the first in row-major order
 * (PyTorch, tfjs cpu) or, with `share`, all of them equally (our wasm path).
 */
function poolByHand(g: number[], share: boolean): { y: number[]; dx: number[] } {
  const y = new Array(N * 3 * 3 * C).fill(0);
  const dx = new Array(xs.length).fill(0);
  for (let n = 0; n < N; n++) for (let h = 0; h < 3; h++) for (let w = 0; w < 3; w++) for (let c = 0; c < C; c++) {
    const cells = [0, 1, 2, 3].map((q) => idx(n, 2 * h + (q >> 1), 2 * w + (q & 1), c, H, W));
    const best = Math.max(...cells.map((k) => xs[k]));
    const tied = cells.filter((k) => xs[k] === best);
    y[idx(n, h, w, c, 3, 3)] = best;
    for (const k of share ? tied : tied.slice(0, 1)) dx[k] += g[idx(n, h, w, c, 3, 3)] / (share ? tied.length : 1);
  }
  return { y, dx };
}

function upByHand(g: number[]): { y: number[]; dx: number[] } {
  const y = new Array(g.length).fill(0);
  const dx = new Array(xs.length).fill(0);
  for (let n = 0; n < N; n++) for (let h = 0; h < 2 * H; h++) for (let w = 0; w < 2 * W; w++) for (let c = 0; c < C; c++) {
    const src = idx(n, h >> 1, w >> 1, c, H, W);
    y[idx(n, h, w, c, 2 * H, 2 * W)] = xs[src];
    dx[src] += g[idx(n, h, w, c, 2 * H, 2 * W)];
  }
  return { y, dx };
}

function run(f: (x: tf.Tensor4D) => tf.Tensor4D, g: number[]): { y: number[]; dx: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, [N, H, W, C]);
    const y = f(x);
    const gt = tf.tensor(g, y.shape);
    const dx = tf.grad((a: tf.Tensor) => f(a as tf.Tensor4D).mul(gt).sum())(x);
    return { y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) };
  });
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe('maxPool2x2 and upsample2x match hand-computed values and gradients', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`on ${backend}`, async () => {
      await useBackend(backend);
      const gp = Array.from({ length: N * 3 * 3 * C }, (_, i) => Math.cos(i * 0.37) + 2);
      const pool = run(maxPool2x2, gp);
      const poolRef = poolByHand(gp, backend === 'wasm');
      expect(maxDiff(pool.y, poolRef.y)).toBeLessThan(1e-6);
      expect(maxDiff(pool.dx, poolRef.dx)).toBeLessThan(1e-6);
      // the data hold all-negative windows (where wasm's MaxPoolGrad fails) and tied ones
      const windows = poolRef.y.map((_, k) => k);
      expect(windows.some((k) => poolRef.y[k] < 0)).toBe(true);
      expect(poolByHand(gp, true).dx).not.toEqual(poolByHand(gp, false).dx);
      const gu = Array.from({ length: N * 4 * H * W * C }, (_, i) => Math.cos(i * 0.37));
      const up = run(upsample2x, gu);
      const upRef = upByHand(gu);
      expect(maxDiff(up.y, upRef.y)).toBeLessThan(1e-6);
      expect(maxDiff(up.dx, upRef.dx)).toBeLessThan(1e-5);
    });
  }

  it('drops an odd last row and column like MaxPool2d(2, 2)', async () => {
    await useBackend('wasm');
    const y = tf.tidy(() => maxPool2x2(tf.tensor4d([1, 2, 9, 3, 4, 9, 9, 9, 9], [1, 3, 3, 1])).dataSync());
    expect(Array.from(y)).toEqual([4]);
  });
});
