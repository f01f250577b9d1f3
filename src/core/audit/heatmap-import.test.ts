import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { HeatmapImportError, importHeatmaps, normalizeMap, resizeBilinear } from './heatmap-import';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const lcg = (seed: number) => () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

describe('heatmaps made elsewhere', () => {
  it('resizes like tf.image.resizeBilinear with half-pixel centres, down and up, odd sizes', () => {
    const r = lcg(3);
    for (const [h, w, th, tw] of [
      [224, 224, 32, 32],
      [7, 7, 32, 32],
      [13, 20, 32, 32],
      [32, 32, 9, 5],
    ]) {
      const src = Float32Array.from({ length: h * w }, r);
      const ref = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(src, [1, h, w, 1]), [th, tw], false, true).dataSync());
      const got = resizeBilinear(src, h, w, th, tw);
      let d = 0;
      for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - ref[i]));
      expect(d, `${h}×${w} → ${th}×${tw}`).toBeLessThan(1e-5);
    }
  });

  it('normalises like our own maps: ReLU, then divided by the maximum; zero stays zero; NaN is refused', () => {
    normalizeMap(Float32Array.from([-2, 0, 51, 255])).forEach((v, i) => expect(v).toBeCloseTo([0, 0, 0.2, 1][i], 6));
    expect(Array.from(normalizeMap(new Float32Array(3)))).toEqual([0, 0, 0]);
    expect(() => normalizeMap(Float32Array.from([0, NaN]))).toThrow(HeatmapImportError);
  });

  it('imports n maps of another size: each resized and normalised, the bad one named', () => {
    // two 2×2 maps (uint8-scaled) → 4×4
    const data = Uint8Array.from([0, 255, 0, 0, 10, 10, 10, 20]);
    const out = importHeatmaps(data, 2, 2, 2, [4, 4]);
    expect(out).toHaveLength(32);
    // map 0: normalised (255 → 1) then resized: the corner cell keeps the peak, 1
    expect(out[3]).toBeCloseTo(1, 6);
    expect(Math.max(...out.subarray(0, 16))).toBeCloseTo(1, 6);
    // map 1: [10, 10; 10, 20] → [0.5, 0.5; 0.5, 1] before the resize; its corners keep those values
    expect(out[16 + 15]).toBeCloseTo(1, 6);
    expect(out[16]).toBeCloseTo(0.5, 6);
    // and an inner cell is the bilinear mix: at (1, 1) of 4×4, source (0.25, 0.25) → 0.5 + 0.5·0.25·0.25
    expect(out[16 + 5]).toBeCloseTo(0.5 + 0.5 * 0.0625, 6);
    expect(() => importHeatmaps(Float32Array.from([0, 1, 2, 3, 0, Infinity, 0, 0]), 2, 2, 2, [2, 2])).toThrow(/map 1: value Infinity/);
  });
});
