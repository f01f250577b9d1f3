// Grad-CAM on a real 162-layer functional Keras model: the MobileNetV2 that nsfwjs (dev dependency) bundles.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../classifier/load';
import { createGradCam } from './grad-cam';
import { artifactsOf, maxAbsDiff, randomImages, referenceCam } from './test-helpers';

let model: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('wasm');
  const nsfw = (await import('nsfwjs')) as unknown as { load(name: string): Promise<{ model: tf.LayersModel }> };
  model = (await nsfw.load('MobileNetV2')).model;
});

describe('Grad-CAM on nsfwjs MobileNetV2', () => {
  it('targets out_relu, explains the logit, and equals the hand-split reference', async () => {
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(model)));
    expect(clf.inputShape).toEqual([224, 224, 3]);
    expect(clf.defaultTarget).toBe('out_relu'); // not the 7×7 average pool's 1×1 output
    expect(clf.endsInSoftmax).toBe(true);
    const x = randomImages(2, 224, 224, 3, 31);
    const cam = createGradCam(clf, { size: [16, 16] });
    const batch = await cam.explain(x);

    const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('out_relu').output as tf.SymbolicTensor });
    const [pool, flat, d1, d2, d3] = ['average_pooling2d_1', 'flatten_1', 'dense_1', 'dense_2', 'dense_3'].map((n) => model.getLayer(n));
    const [w3, b3] = d3.getWeights();
    const logits = (a: tf.Tensor4D) => (d2.apply(d1.apply(flat.apply(pool.apply(a)))) as tf.Tensor).matMul(w3).add(b3) as tf.Tensor2D;
    const ref = referenceCam((xi) => features.predict(xi) as tf.Tensor4D, logits, x, 'predicted', [16, 16]);
    expect(Array.from(batch.targets)).toEqual(ref.targets);
    expect(maxAbsDiff(batch.heatmaps, ref.maps)).toBeLessThan(1e-3);
    expect(Math.max(...batch.heatmaps)).toBeGreaterThan(0.5);
    tf.dispose(x);
    cam.dispose();
    clf.dispose();
  });
});
