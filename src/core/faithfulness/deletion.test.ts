import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { wrapLayersModel } from '../classifier/layers-classifier';
import { gaussianBlur, gaussianTaps, deletionSigma } from './blur';
import { deletionScores, DELETION_FRACTIONS } from './deletion';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const S = 6;

/** Reflect index (…2 1 | 0 1 2 … n−1 | n−2 …), as tf.mirrorPad 'reflect'. */
function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/** Separable blur of one S×S single-channel image, by hand. */
function blurByHand(img: number[], sigma: number): number[] {
  const taps = gaussianTaps(sigma, S - 1);
  const r = (taps.length - 1) / 2;
  const tmp = new Array<number>(S * S).fill(0);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let k = -r; k <= r; k++) tmp[y * S + x] += taps[k + r] * img[reflect(y + k, S) * S + x];
  const out = new Array<number>(S * S).fill(0);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let k = -r; k <= r; k++) out[y * S + x] += taps[k + r] * tmp[y * S + reflect(x + k, S)];
  return out;
}

describe('gaussianBlur', () => {
  it('equals a hand-written separable blur with reflect padding, and keeps constants', () => {
    const img = Array.from({ length: S * S }, (_, i) => ((i * 7) % 11) / 10);
    const got = tf.tidy(() => gaussianBlur(tf.tensor4d(img, [1, S, S, 1]), 1.3).dataSync());
    const want = blurByHand(img, 1.3);
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    const flat = tf.tidy(() => gaussianBlur(tf.fill([1, S, S, 3], 0.7) as tf.Tensor4D, 2).dataSync());
    for (const v of flat) expect(v).toBeCloseTo(0.7, 5);
  });
});

describe('deletionScores', () => {
  it('matches the definition computed by hand on a model whose evidence is the left half', async () => {
    // logit0 = 0.3 · Σ of a checkerboard of left-half pixels (fine detail, which the blur erases), logit1 = 0.
    const evidence = (i: number): boolean => i % S < S / 2 && (i % S + Math.floor(i / S)) % 2 === 0;
    const weights = Float32Array.from({ length: S * S * 2 }, (_, i) => (i % 2 === 0 && evidence(Math.floor(i / 2)) ? 0.3 : 0));
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [S, S, 1], filters: 1, kernelSize: 1, name: 'id' }), tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    model.layers[0].setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
    model.layers[2].setWeights([tf.tensor2d(weights, [S * S, 2]), tf.zeros([2])]);
    const clf = wrapLayersModel(model);
    const img = Array.from({ length: S * S }, (_, i) => (evidence(i) ? 1 : 0));
    const x = tf.tensor4d([...img, ...img], [2, S, S, 1]);
    // Map 0 ranks left-half pixels first (faithful); map 1 ranks the right half first (unfaithful).
    const left = img.map((_, i) => (i % S < S / 2 ? 1 - i / 100 : 0.1 - i / 1000));
    const right = img.map((_, i) => (i % S >= S / 2 ? 1 - i / 100 : 0.1 - i / 1000));
    const scores = await deletionScores(clf, x, Float32Array.from([...left, ...right]), [S, S], Int32Array.from([0, 0]));

    const blurred = blurByHand(img, deletionSigma(S, S));
    const p = (v: number[]): number => 1 / (1 + Math.exp(-0.3 * v.reduce((a, b, i) => a + (evidence(i) ? b : 0), 0)));
    const expected = [left, right].map((map) => {
      const order = map.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map((e) => e[1]);
      const p0 = p(img);
      const drops = DELETION_FRACTIONS.map((f) => {
        const del = new Set(order.slice(0, Math.floor(f * S * S)));
        return (p0 - p(img.map((v, i) => (del.has(i) ? blurred[i] : v)))) / p0;
      });
      const d = [0, ...drops];
      let area = 0;
      for (let j = 1; j < d.length; j++) area += ((d[j] + d[j - 1]) / 2) * 0.1;
      return 1 - area / 0.5;
    });
    expect(scores[0]).toBeCloseTo(expected[0], 4);
    expect(scores[1]).toBeCloseTo(expected[1], 4);
    expect(scores[1]).toBeCloseTo(1, 5); // right-half pixels carry no evidence: nothing drops
    expect(scores[0]).toBeLessThan(0.95); // deleting the evidence lowers P(0)
    x.dispose();
    clf.dispose();
  });

  it('leaks no tensors', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const clf = wrapLayersModel(model);
    const x = tf.randomUniform([4, 8, 8, 3]) as tf.Tensor4D;
    const maps = Float32Array.from({ length: 4 * 16 }, (_, i) => (i * 13) % 7);
    await deletionScores(clf, x, maps, [4, 4], Int32Array.from([0, 1, 2, 0]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await deletionScores(clf, x, maps, [4, 4], Int32Array.from([0, 1, 2, 0]));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    clf.dispose();
  });
});
