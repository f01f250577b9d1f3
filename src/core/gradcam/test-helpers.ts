// Test-only helpers shared by the Grad-CAM, classifier and faithfulness tests (not part of the API).
import * as tf from '@tensorflow/tfjs';

/** The artifacts a LayersModel saves to, so tests can load it back through `loadClassifier`. */
export async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('model.save wrote nothing');
  return saved;
}

/** The logits of a Dense layer by hand: h·W + b (h [n, in] → [n, units]), for hand-split references. */
export function denseLogits(layer: tf.layers.Layer, h: tf.Tensor): tf.Tensor2D {
  const [w, b] = layer.getWeights();
  return h.matMul(w).add(b) as tf.Tensor2D;
}

/** Deterministic pseudo-random numbers in [-1, 1) (a 32-bit LCG), for weights and images. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** A batch [n, h, w, c] of deterministic values in [0, 1). */
export function randomImages(n: number, h: number, w: number, c: number, seed = 1): tf.Tensor4D {
  const r = lcg(seed);
  return tf.tensor4d(Float32Array.from({ length: n * h * w * c }, () => (r() + 1) / 2), [n, h, w, c]);
}

/** Gives every weight of a model deterministic values (the default initialisers are unseeded). */
export function seedWeights(model: tf.LayersModel, seed = 7, scale = 0.5): void {
  const r = lcg(seed);
  // BatchNorm moving variances must stay positive.
  const names = model.weights.map((w) => w.originalName);
  model.setWeights(
    model.getWeights().map((w, i) =>
      tf.tensor(Float32Array.from({ length: w.size }, () => (/variance/.test(names[i]) ? 0.5 + Math.abs(r()) : r() * scale)), w.shape),
    ),
  );
}

/**
 * The reference Grad-CAM, one image at a time, from a model split by hand: `features` maps x [1, h, w, c]
 * to A, `head` maps A to the explained scores; gradient of the target score by `tf.grad` with a slice;
 * α = mean of the gradient over (batch, height, width); ReLU(Σ α·A) / max; bilinear resize (half-pixel).
 */
export function referenceCam(
  features: (x: tf.Tensor4D) => tf.Tensor4D,
  head: (a: tf.Tensor4D) => tf.Tensor2D,
  x: tf.Tensor4D,
  targets: number[] | 'predicted',
  size: [number, number],
): { maps: Float32Array; targets: number[] } {
  const n = x.shape[0];
  const maps = new Float32Array(n * size[0] * size[1]);
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const map = tf.tidy(() => {
      const xi = x.slice([i, 0, 0, 0], [1, -1, -1, -1]);
      const a = features(xi);
      const k = targets === 'predicted' ? head(a).argMax(1).dataSync()[0] : targets[i];
      used.push(k);
      const g = tf.grad((t: tf.Tensor) => head(t as tf.Tensor4D).slice([0, k], [1, 1]).sum())(a);
      const cam = a.mul(g.mean([0, 1, 2])).sum(-1).relu();
      const max = cam.max().dataSync()[0];
      const normed = max > 0 ? cam.div(max) : cam;
      return tf.image.resizeBilinear(normed.expandDims(-1) as tf.Tensor4D, size, false, true).dataSync();
    });
    maps.set(map, i * size[0] * size[1]);
  }
  return { maps, targets: used };
}

/** Largest absolute difference of two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
