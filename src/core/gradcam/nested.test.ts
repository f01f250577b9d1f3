import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../classifier/load';
import { LayerNotFoundError } from '../classifier/errors';
import { createGradCam } from './grad-cam';
import { artifactsOf, denseLogits, maxAbsDiff, randomImages, referenceCam, seedWeights } from './test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const SIZE: [number, number] = [8, 8];

/** A Teachable-Machine-like feature extractor: a functional model ending in global average pooling. */
function innerModel() {
  const inp = tf.input({ shape: [12, 12, 3] });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'inner_c1' });
  const bn = tf.layers.batchNormalization({ name: 'inner_bn' });
  const relu = tf.layers.activation({ activation: 'relu', name: 'inner_relu' });
  const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'inner_c2' });
  const gap = tf.layers.globalAveragePooling2d({ name: 'inner_gap' });
  const r = relu.apply(bn.apply(c1.apply(inp))) as tf.SymbolicTensor;
  const a = c2.apply(r) as tf.SymbolicTensor;
  const inner = tf.model({ inputs: inp, outputs: gap.apply(a) as tf.SymbolicTensor, name: 'mobilenet_like' });
  return { inner, inp, r, a, c2, gap };
}

describe('Grad-CAM on nested (Teachable Machine style) models, softmax-ended', () => {
  it('a Sequential wrapping a functional model and a Sequential head: split inside, logits explained', async () => {
    const { inner, inp, a, gap } = innerModel();
    const d1 = tf.layers.dense({ units: 5, activation: 'relu', inputShape: [6] });
    const d2 = tf.layers.dense({ units: 3, activation: 'softmax' });
    const headSeq = tf.sequential({ layers: [d1, d2] });
    const model = tf.sequential({ layers: [inner, headSeq] });
    seedWeights(model, 11, 1);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(clf.targetCandidates()).toEqual(['inner_c1', 'inner_bn', 'inner_relu', 'inner_c2']);
    expect(clf.defaultTarget).toBe('inner_c2');
    expect(clf.endsInSoftmax).toBe(true);

    const x = randomImages(6, 12, 12, 3, 2);
    const cam = createGradCam(clf, { size: SIZE });
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: inp, outputs: a });
    const feat = (xi: tf.Tensor4D) => features.predict(xi) as tf.Tensor4D;
    const ref = referenceCam(feat, (t) => denseLogits(d2, d1.apply(gap.apply(t)) as tf.Tensor), x, 'predicted', SIZE);
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    // The probability's gradient gives other maps: the test can tell logits from probabilities.
    const viaProbs = referenceCam(feat, (t) => tf.softmax(denseLogits(d2, d1.apply(gap.apply(t)) as tf.Tensor)), x, 'predicted', SIZE);
    expect(maxAbsDiff(viaProbs.maps, ref.maps)).toBeGreaterThan(1e-3);
    // probs are the model's softmax output
    const y = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(batch.probs, y.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    cam.dispose();
    clf.dispose();
  });

  it('a functional wrapper around the inner model, target before an inner conv', async () => {
    const { inner, inp: innerInp, r, c2, gap } = innerModel();
    const inp = tf.input({ shape: [12, 12, 3] });
    const d1 = tf.layers.dense({ units: 5, activation: 'relu' });
    const d2 = tf.layers.dense({ units: 4, activation: 'softmax' });
    const model = tf.model({ inputs: inp, outputs: d2.apply(d1.apply(inner.apply(inp))) as tf.SymbolicTensor });
    seedWeights(model, 5, 1);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(clf.endsInSoftmax).toBe(true);
    const x = randomImages(4, 12, 12, 3, 8);
    const cam = createGradCam(clf, { layer: 'inner_relu', size: SIZE });
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: innerInp, outputs: r });
    const [k2, b2] = c2.getWeights();
    const ref = referenceCam(
      (xi) => features.predict(xi) as tf.Tensor4D,
      (t) => denseLogits(d2, d1.apply(gap.apply(tf.conv2d(t, k2 as tf.Tensor4D, 1, 'same').add(b2).relu())) as tf.Tensor),
      x,
      'predicted',
      SIZE,
    );
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });

  it('a separate softmax Activation layer is split off too; unknown layers list the candidates', async () => {
    const c = tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' });
    const d = tf.layers.dense({ units: 3 });
    const model = tf.sequential({ layers: [c, tf.layers.flatten(), d, tf.layers.activation({ activation: 'softmax' })] });
    seedWeights(model, 4, 1);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(clf.endsInSoftmax).toBe(true);
    expect(() => createGradCam(clf, { layer: 'nope' })).toThrow(LayerNotFoundError);
    expect(() => createGradCam(clf, { layer: 'nope' })).toThrow(/candidates: conv/);
    const x = randomImages(3, 8, 8, 3, 4);
    const cam = createGradCam(clf, { size: SIZE });
    const batch = await cam.explain(x);
    const features = tf.model({ inputs: model.inputs, outputs: c.output as tf.SymbolicTensor });
    const ref = referenceCam((xi) => features.predict(xi) as tf.Tensor4D, (t) => denseLogits(d, t.reshape([t.shape[0], -1])), x, 'predicted', SIZE);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-4);
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });

  it('leaks no tensors across batches', async () => {
    const { inner } = innerModel();
    const model = tf.sequential({ layers: [inner, tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    const cam = createGradCam(clf, { layer: 'inner_relu' });
    const x = randomImages(4, 12, 12, 3, 9);
    await cam.explain(x);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await cam.explain(x, i % 2 === 0 ? 'predicted' : 1);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    cam.dispose();
    clf.dispose();
  });
});

describe('Grad-CAM when the backend lacks a gradient kernel', () => {
  it('says which kernel is missing, and still works after switching backend', async () => {
    const c = tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' });
    const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw' });
    const model = tf.sequential({ layers: [c, dw, tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    const cam = createGradCam(clf, { layer: 'conv' });
    const x = randomImages(2, 8, 8, 3, 1);
    // wasm has no DepthwiseConv2dNativeBackpropInput. (tfjs leaves the tensors of a backward pass that
    // threw undisposed; this error path is rare and ends the run in the CLI.)
    await expect(cam.explain(x)).rejects.toThrow(/DepthwiseConv2dNativeBackpropInput kernel, which the wasm backend lacks/);
    await tf.setBackend('cpu');
    const onCpu = await cam.explain(x);
    expect(onCpu.heatmaps).toHaveLength(2 * 32 * 32);
    await tf.setBackend('wasm');
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });
});
