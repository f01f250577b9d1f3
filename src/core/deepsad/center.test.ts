import { beforeAll, describe, expect, it } from 'vitest';
import { CENTER_EPS, clampCenter, computeCenter } from './center';
import { defaultConfig } from './config';
import { DeepSadModel } from './detector';
import { buildEncoder } from './networks/build';
import { createRng } from '../random';
import { useBackend } from './test-setup';

beforeAll(() => useBackend('wasm'));

describe('clampCenter', () => {
  it('pushes small coordinates out to ±0.1 by sign, keeps exact zeros and large ones', () => {
    const c = clampCenter(Float32Array.from([0.05, -0.05, 0, 0.1, -0.1, 0.3, -2, 1e-9, -1e-9]));
    expect(Array.from(c)).toEqual(Array.from(Float32Array.from([0.1, -0.1, 0, 0.1, -0.1, 0.3, -2, 0.1, -0.1])));
    expect(CENTER_EPS).toBe(0.1);
  });

  it('does not mutate its input', () => {
    const c = Float32Array.from([0.01]);
    clampCenter(c);
    expect(c[0]).toBeCloseTo(0.01);
  });
});

describe('computeCenter', () => {
  it('is the clamped mean eval-mode embedding over the full batches', async () => {
    const cfg = { ...defaultConfig('mlp', [1, 1, 3]), mlpWidths: [4] };
    const enc = buildEncoder(cfg, createRng(1));
    const n = 10;
    const x = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
    const data = { x, n, semiTargets: new Int8Array(n) };
    // batch 10 = n: every sample is used; compare with the mean of the model's embeddings
    const c = await computeCenter(enc, data, cfg.inputShape, 10, createRng(2));
    const model = new DeepSadModel(cfg, enc, new Float32Array(4));
    const z = await model.embed(x, n);
    const mean = [0, 1, 2, 3].map((j) => Array.from({ length: n }, (_, i) => z[i * 4 + j]).reduce((a, b) => a + b) / n);
    expect(Array.from(c)).toEqual(Array.from(clampCenter(Float32Array.from(mean))));
    // batch 4 of 10: two full batches (8 samples) count, the partial one is skipped
    const c8 = await computeCenter(enc, data, cfg.inputShape, 4, createRng(2));
    expect(Array.from(c8)).not.toEqual(Array.from(c));
    model.dispose();
  });
});
