import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig } from './config';
import { trainDeepSad } from './train';
import { DeepSadDataError, DetectorFormatError } from './errors';
import { BUNDLE_FORMAT, loadDetector } from './serialize';
import { useBackend } from './test-setup';
import type { DetectorBundle } from './types';

beforeAll(() => useBackend('wasm'));

/** mlp 3 → 2 (linear, BN1d, LReLU) → 2 with hand-set weights and running statistics. */
function handBundle(): DetectorBundle {
  const config = { ...defaultConfig('mlp', [1, 1, 3]), mlpWidths: [2, 2] };
  const w1 = [1, -1, 0.5, 2, -2, 0]; // [3, 2] row-major
  const mean = [0.5, -1];
  const variance = [4, 1];
  const w2 = [1, 2, -1, 3]; // [2, 2]
  return {
    format: BUNDLE_FORMAT,
    version: 1,
    config,
    c: [0.5, -0.25],
    weightSpecs: [
      { name: 'encoder.hidden1.weight', shape: [3, 2] },
      { name: 'encoder.bn1d1.running_mean', shape: [2] },
      { name: 'encoder.bn1d1.running_var', shape: [2] },
      { name: 'encoder.code.weight', shape: [2, 2] },
    ],
    weightData: Float32Array.from([...w1, ...mean, ...variance, ...w2]).buffer,
  };
}

/** The same network in plain float64 arithmetic. */
function scoreByHand(x: number[]): number {
  const h = [x[0] * 1 + x[1] * 0.5 + x[2] * -2, x[0] * -1 + x[1] * 2 + x[2] * 0];
  const n = [(h[0] - 0.5) / Math.sqrt(4 + 1e-4), (h[1] + 1) / Math.sqrt(1 + 1e-4)].map((v) => (v > 0 ? v : 0.01 * v));
  const z = [n[0] * 1 + n[1] * -1, n[0] * 2 + n[1] * 3];
  return (z[0] - 0.5) ** 2 + (z[1] + 0.25) ** 2;
}

describe('DeepSadDetector.score', () => {
  it('equals the hand-computed ||φ(x) − c||² with eval-mode BatchNorm', async () => {
    const det = loadDetector(handBundle());
    const xs = [[1, 2, 3], [0, 0, 0], [-1, 0.5, 2], [3, -2, 1]];
    const s = await det.score(Float32Array.from(xs.flat()), xs.length);
    xs.forEach((x, i) => expect(s[i]).toBeCloseTo(scoreByHand(x), 4));
    expect(Math.max(...s)).toBeGreaterThan(1);
    // batch independence: one sample alone scores the same
    const one = await det.score(Float32Array.from(xs[2]), 1);
    expect(one[0]).toBeCloseTo(s[2], 6);
    det.dispose();
  });

  it('batches large inputs without leaking tensors', async () => {
    const det = loadDetector(handBundle());
    const n = 600; // more than two score batches
    const x = Float32Array.from({ length: n * 3 }, (_, i) => Math.cos(i));
    const first = await det.score(x, n);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await det.score(x, n);
    expect(tf.memory().numTensors).toBe(before);
    expect(first[599]).toBeCloseTo(scoreByHand([Math.cos(1797), Math.cos(1798), Math.cos(1799)]), 4);
    const z = await det.embed(x, n);
    expect(z.length).toBe(n * 2);
    det.dispose();
  });

  it('rejects input of the wrong length', async () => {
    const det = loadDetector(handBundle());
    await expect(det.score(new Float32Array(5), 2)).rejects.toThrow(DeepSadDataError);
    det.dispose();
  });
});

describe('loadDetector', () => {
  it('rejects another format or version with one line naming both', () => {
    expect(() => loadDetector({ ...handBundle(), format: 'keras' as never })).toThrow(/format is "keras", expected "apexp-deepsad"/);
    const err = (() => {
      try {
        loadDetector({ ...handBundle(), version: 2 as never });
      } catch (e) {
        return e as DetectorFormatError;
      }
    })();
    expect(err).toBeInstanceOf(DetectorFormatError);
    expect(err?.code).toBe('version');
    expect(err?.message).toBe('detector version 2 is not supported, expected 1');
  });

  it('rejects weights that do not fit the config, and frees what it built', () => {
    const before = tf.memory().numTensors;
    const b = handBundle();
    expect(() => loadDetector({ ...b, weightData: new ArrayBuffer(8) })).toThrow(/expected 56 bytes, found 8/);
    expect(() => loadDetector({ ...b, c: [1] })).toThrow(/centre c: expected 2/);
    const specs = b.weightSpecs.map((s, i) => (i === 3 ? { ...s, name: 'encoder.other' } : s));
    expect(() => loadDetector({ ...b, weightSpecs: specs })).toThrow(/tensor 3 is encoder.other/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bundle round trip', () => {
  it('a conv detector reloaded from its bundle scores identically', async () => {
    const n = 10;
    const x = Float32Array.from({ length: n * 784 }, (_, i) => (Math.sin(i * 0.61) + 1) / 2);
    const cfg = { ...defaultConfig('mnist_LeNet', [28, 28, 1]), pretrain: false, nEpochs: 1, batchSize: 5 };
    const det = await trainDeepSad({ x, n, semiTargets: new Int8Array(n) }, cfg);
    const bundle = await det.toBundle();
    expect(bundle.weightSpecs.map((s) => s.name)).toContain('encoder.bn2d1.running_mean');
    const again = loadDetector(structuredClone(bundle));
    expect(Array.from(await again.score(x, n))).toEqual(Array.from(await det.score(x, n)));
    expect(Array.from(again.c)).toEqual(Array.from(det.c));
    det.dispose();
    again.dispose();
  });
});
