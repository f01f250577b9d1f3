import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../classifier/load';
import { createGradCam } from './grad-cam';
import { artifactsOf, denseLogits, maxAbsDiff, randomImages, referenceCam, seedWeights } from './test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const SIZE: [number, number] = [8, 8];

/** A 'same'-padded stride-1 conv of a layer's weights, by hand (tf.conv2d + bias), no activation. */
function convByHand(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor4D {
  const [k, b] = layer.getWeights();
  return tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same').add(b);
}

describe('Grad-CAM on a Sequential model', () => {
  it('equals the hand-split reference, batched and one at a time', async () => {
    const c1 = tf.layers.conv2d({ inputShape: [10, 10, 3], filters: 4, kernelSize: 3, activation: 'relu', name: 'c1' });
    const c2 = tf.layers.conv2d({ filters: 5, kernelSize: 3, activation: 'relu', name: 'c2' });
    const pool = tf.layers.maxPooling2d({ poolSize: 2 });
    const flat = tf.layers.flatten();
    const dense = tf.layers.dense({ units: 3, name: 'out' });
    const model = tf.sequential({ layers: [c1, c2, pool, flat, dense] });
    seedWeights(model);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(clf.kind).toBe('layers');
    expect(clf.targetCandidates()).toEqual(['c1', 'c2', model.layers[2].name]);
    expect(clf.defaultTarget).toBe(model.layers[2].name); // the 3×3 max-pool output is still spatial
    expect(clf.endsInSoftmax).toBe(false);

    const x = randomImages(5, 10, 10, 3);
    const cam = createGradCam(clf, { layer: 'c2', size: SIZE });
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: model.inputs, outputs: c2.output as tf.SymbolicTensor });
    // The reference runs on the cpu backend: wasm's own MaxPoolGrad loses gradient (see head-apply.ts).
    await tf.setBackend('cpu');
    const ref = referenceCam(
      (xi) => features.predict(xi) as tf.Tensor4D,
      (a) => dense.apply(flat.apply(pool.apply(a))) as tf.Tensor2D,
      x,
      'predicted',
      SIZE,
    );
    const ref2 = referenceCam((xi) => features.predict(xi) as tf.Tensor4D, (a) => dense.apply(flat.apply(pool.apply(a))) as tf.Tensor2D, x, [2, 2, 2, 2, 2], SIZE);
    await tf.setBackend('wasm');
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(Array.from(batch.predicted)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    // every map is in [0, 1] and non-trivial here
    expect(Math.max(...batch.heatmaps)).toBeLessThanOrEqual(1);
    expect(Math.min(...batch.heatmaps)).toBeGreaterThanOrEqual(0);

    // one at a time gives the same maps
    for (let i = 0; i < 5; i++) {
      const xi = x.slice([i, 0, 0, 0], [1, -1, -1, -1]);
      const one = await cam.explain(xi);
      xi.dispose();
      expect(maxAbsDiff(one.heatmaps, batch.heatmaps.subarray(i * 64, (i + 1) * 64))).toBeLessThan(1e-5);
    }
    // a fixed target class
    const fixed = await cam.explain(x, 2);
    expect(Array.from(fixed.targets)).toEqual([2, 2, 2, 2, 2]);
    expect(maxAbsDiff(fixed.heatmaps, ref2.maps)).toBeLessThan(1e-4);
    // probabilities are the model output
    const y = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(batch.probs, y.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    cam.dispose();
    clf.dispose();
  });
});

describe('Grad-CAM on a functional model with branches and a skip from before the target', () => {
  it('equals the hand-split reference', async () => {
    const inp = tf.input({ shape: [8, 8, 3] });
    const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' });
    const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' });
    const c3 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c3' });
    const c4 = tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'relu', name: 'c4' });
    const add = tf.layers.add();
    const cat = tf.layers.concatenate();
    const gap = tf.layers.globalAveragePooling2d({});
    const out = tf.layers.dense({ units: 4 });
    const h1 = c1.apply(inp) as tf.SymbolicTensor;
    const h2 = c2.apply(h1) as tf.SymbolicTensor;
    const s = add.apply([c3.apply(h2) as tf.SymbolicTensor, h1]) as tf.SymbolicTensor;
    const y = out.apply(gap.apply(cat.apply([s, c4.apply(h2) as tf.SymbolicTensor]))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: inp, outputs: y });
    seedWeights(model, 3);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    const x = randomImages(4, 8, 8, 3, 5);
    const cam = createGradCam(clf, { layer: 'c2', size: SIZE });
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: inp, outputs: [h1, h2] });
    let h1v: tf.Tensor | undefined;
    const ref = referenceCam(
      (xi) => {
        const [a1, a2] = features.predict(xi) as tf.Tensor4D[];
        h1v = a1;
        return a2;
      },
      (a) => {
        const skip = convByHand(c3, a).add(h1v as tf.Tensor);
        const branch = convByHand(c4, a).relu();
        return denseLogits(out, tf.concat([skip, branch], -1).mean([1, 2]));
      },
      x,
      'predicted',
      SIZE,
    );
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    expect(clf.defaultTarget).toBe(cat.name);
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });
});

describe('Grad-CAM with a global max pooling head (the demo classifiers)', () => {
  it('equals the reference through tf.max, ties at zero included', async () => {
    const c1 = tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' });
    const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' });
    const dense = tf.layers.dense({ units: 3, activation: 'softmax' });
    const model = tf.sequential({ layers: [c1, c2, tf.layers.globalMaxPooling2d({}), dense] });
    seedWeights(model, 13, 0.7);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    const x = randomImages(6, 8, 8, 3, 17);
    const cam = createGradCam(clf, { size: SIZE });
    expect(cam.layer).toBe('c2');
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: model.inputs, outputs: c2.output as tf.SymbolicTensor });
    const ref = referenceCam((xi) => features.predict(xi) as tf.Tensor4D, (a) => denseLogits(dense, a.max([1, 2])), x, 'predicted', SIZE);
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });
});
