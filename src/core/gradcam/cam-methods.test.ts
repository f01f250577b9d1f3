import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../classifier/load';
import { CAM_METHODS, type CamMethod } from './cam-methods';
import { createGradCam, GradCamError } from './grad-cam';
import { artifactsOf, maxAbsDiff, randomImages, seedWeights } from './test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/**
 * The map of one image by plain loops over A and g ([h·w·k], channel-last), written from the
 * formulas of pytorch-grad-cam, not from cam-methods.ts: ReLU, then divided by the maximum.
 */
function camByLoops(method: CamMethod, a: Float32Array, g: Float32Array, hw: number, k: number): Float32Array {
  const at = (p: number, c: number) => p * k + c;
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let sumG = 0;
    let sumA = 0;
    let sumGA = 0;
    for (let p = 0; p < hw; p++) {
      sumG += g[at(p, c)];
      sumA += a[at(p, c)];
      sumGA += g[at(p, c)] * a[at(p, c)];
    }
    if (method === 'gradcam') weights[c] = sumG / hw;
    if (method === 'xgradcam') weights[c] = sumGA / (sumA + 1e-7);
    if (method === 'gradcam++') {
      let w = 0;
      for (let p = 0; p < hw; p++) {
        const gi = g[at(p, c)];
        if (gi === 0) continue;
        const alpha = (gi * gi) / (2 * gi * gi + sumA * gi * gi * gi + 1e-6);
        w += alpha * Math.max(gi, 0);
      }
      weights[c] = w;
    }
  }
  const map = new Float32Array(hw);
  for (let p = 0; p < hw; p++) {
    let v = 0;
    for (let c = 0; c < k; c++) {
      const ai = a[at(p, c)];
      const gi = g[at(p, c)];
      if (method === 'hirescam') v += gi * ai;
      else if (method === 'layercam') v += Math.max(gi, 0) * ai;
      else v += weights[c] * ai;
    }
    map[p] = Math.max(v, 0);
  }
  const max = Math.max(...map);
  return max > 0 ? map.map((v) => v / max) : map;
}

/** A conv → conv(target) → max-pool → dense model, and A, g per image from a hand split on the cpu backend. */
async function fixture() {
  const c1 = tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' });
  const c2 = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' });
  const pool = tf.layers.maxPooling2d({ poolSize: 2 });
  const flat = tf.layers.flatten();
  const dense = tf.layers.dense({ units: 3, name: 'out' });
  const model = tf.sequential({ layers: [c1, c2, pool, flat, dense] });
  seedWeights(model, 11, 0.6);
  const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
  const x = randomImages(4, 8, 8, 3, 23);
  const features = tf.model({ inputs: model.inputs, outputs: c2.output as tf.SymbolicTensor });
  // The reference gradients on cpu: wasm's own MaxPoolGrad loses gradient (see head-apply.ts).
  await tf.setBackend('cpu');
  const perImage = Array.from({ length: 4 }, (_, i) =>
    tf.tidy(() => {
      const a = features.predict(x.slice([i, 0, 0, 0], [1, -1, -1, -1])) as tf.Tensor4D;
      const head = (t: tf.Tensor) => dense.apply(flat.apply(pool.apply(t))) as tf.Tensor2D;
      const k = head(a).argMax(1).dataSync()[0];
      const g = tf.grad((t: tf.Tensor) => head(t).slice([0, k], [1, 1]).sum())(a);
      return { a: a.dataSync() as Float32Array, g: g.dataSync() as Float32Array };
    }),
  );
  await tf.setBackend('wasm');
  return { clf, x, perImage, model };
}

describe('the CAM family', () => {
  it('each method equals the formula computed by loops over A and ∂y/∂A, batched', async () => {
    const { clf, x, perImage, model } = await fixture();
    const before = tf.memory().numTensors;
    const seen = new Map<CamMethod, Float32Array>();
    for (const method of CAM_METHODS) {
      // size = the layer's own 8×8, so the half-pixel resize is the identity and the reference needs none.
      const cam = createGradCam(clf, { layer: 'c2', size: [8, 8], method });
      expect(cam.method).toBe(method);
      const batch = await cam.explain(x);
      expect(batch.method).toBe(method);
      const ref = new Float32Array(4 * 64);
      perImage.forEach(({ a, g }, i) => ref.set(camByLoops(method, a, g, 64, 5), i * 64));
      expect(maxAbsDiff(batch.heatmaps, ref), method).toBeLessThan(1e-4);
      // each map is normalised to a maximum of 1 and is not all zero here
      for (let i = 0; i < 4; i++) expect(Math.max(...batch.heatmaps.subarray(i * 64, (i + 1) * 64)), method).toBeCloseTo(1, 5);
      seen.set(method, batch.heatmaps);
      cam.dispose();
    }
    // The methods really differ on this model (max-pool makes the gradient sparse and uneven).
    expect(maxAbsDiff(seen.get('gradcam')!, seen.get('hirescam')!)).toBeGreaterThan(0.05);
    expect(maxAbsDiff(seen.get('gradcam')!, seen.get('gradcam++')!)).toBeGreaterThan(0.05);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    clf.dispose();
    model.dispose();
  });

  it('with a global-average-pool head the gradient is constant per channel: HiResCAM = XGrad-CAM = Grad-CAM', async () => {
    const c1 = tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' });
    const dense = tf.layers.dense({ units: 3 });
    const model = tf.sequential({ layers: [c1, tf.layers.globalAveragePooling2d({}), dense] });
    seedWeights(model, 5, 0.6);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    const x = randomImages(5, 8, 8, 3, 9);
    const maps = async (method: CamMethod) => {
      const cam = createGradCam(clf, { layer: 'c1', size: [8, 8], method });
      const b = await cam.explain(x);
      cam.dispose();
      return b;
    };
    const grad = await maps('gradcam');
    // ∂y_t/∂A_k(i, j) = W_kt / 64 everywhere: HiResCAM's Σ_k g_k A_k is Grad-CAM's Σ_k mean(g_k) A_k.
    expect(maxAbsDiff((await maps('hirescam')).heatmaps, grad.heatmaps)).toBeLessThan(1e-5);
    // XGrad-CAM's w_k = (W_kt/64)·ΣA_k / (ΣA_k + 1e-7): the same up to the ε.
    expect(maxAbsDiff((await maps('xgradcam')).heatmaps, grad.heatmaps)).toBeLessThan(1e-4);
    // LayerCAM keeps only the channels with W_kt > 0: ReLU(Σ_k ReLU(W_kt) A_k), by hand.
    const layer = await maps('layercam');
    const [w] = dense.getWeights();
    const wv = w.arraySync() as number[][];
    const a = (tf.model({ inputs: model.inputs, outputs: c1.output as tf.SymbolicTensor }).predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < 5; i++) {
      const t = grad.targets[i];
      const m = Array.from({ length: 64 }, (_, p) => Math.max(0, wv.reduce((s, row, k) => s + Math.max(row[t], 0) * a[(i * 64 + p) * 6 + k], 0)));
      const max = Math.max(...m);
      expect(maxAbsDiff(layer.heatmaps.subarray(i * 64, (i + 1) * 64), m.map((v) => v / max))).toBeLessThan(1e-4);
    }
    tf.dispose(x);
    clf.dispose();
    model.dispose();
  });

  it('rejects an unknown method with a message that lists the methods', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1, name: 'c' }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(() => createGradCam(clf, { method: 'scorecam' as CamMethod })).toThrow(GradCamError);
    expect(() => createGradCam(clf, { method: 'scorecam' as CamMethod })).toThrow(/gradcam\+\+, hirescam, xgradcam, layercam/);
    clf.dispose();
    model.dispose();
  });
});
