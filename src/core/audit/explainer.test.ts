import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { wrapLayersModel } from '../classifier/layers-classifier';
import { inputRegion, toInputTensor } from '../classifier/preprocess';
import type { RgbaImage } from '../data/image';
import { deletionScores } from '../faithfulness/deletion';
import { createGradCam } from '../gradcam/grad-cam';
import { seedWeights } from '../gradcam/test-helpers';
import { DetectorInputError, detectorInput, inputChannels, inputKindOf } from './detector-input';
import { createExplainer, explainAll, joinBatches } from './explainer';
import { peakPatch } from './peak-patch';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function image(w: number, h: number, seed: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + seed * 101) % 256;
  return { width: w, height: h, data };
}

function classifier() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c2' }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  seedWeights(model, 5);
  return wrapLayersModel(model);
}

describe('createExplainer', () => {
  it('gives the Grad-CAM maps, deletion scores and peak patches computed step by step', async () => {
    const c = classifier();
    const images = [image(16, 16, 1), image(24, 16, 2), image(16, 16, 3)];
    const ex = createExplainer(c, { size: [8, 8], resize: 'center-crop' });
    const before = tf.memory().numTensors;
    const got = await ex.explain(images);
    expect(tf.memory().numTensors).toBe(before);

    const cam = createGradCam(c, { size: [8, 8] });
    const x = toInputTensor(images, c.inputShape, 'unit', 'center-crop');
    const want = await cam.explain(x);
    const faith = await deletionScores(c, x, want.heatmaps, want.size, want.targets);
    x.dispose();
    cam.dispose();
    expect(Array.from(got.heatmaps)).toEqual(Array.from(want.heatmaps));
    expect(Array.from(got.predicted)).toEqual(Array.from(want.predicted));
    expect(Array.from(got.faithfulness!)).toEqual(Array.from(faith));
    images.forEach((img, i) => {
      const p = peakPatch(img, want.heatmaps.subarray(i * 64, (i + 1) * 64), 8, 8, inputRegion(img, 16, 16, 'center-crop'));
      expect(Array.from(got.patches!.subarray(i * 192, (i + 1) * 192))).toEqual(Array.from(p));
    });
    ex.dispose();
    c.dispose();
  });

  it('skips what is not asked for and joins batches in order', async () => {
    const c = classifier();
    const images = [image(16, 16, 4), image(16, 16, 5), image(16, 16, 6)];
    const ex = createExplainer(c, { size: [4, 4], faithfulness: false, peakPatches: false });
    const all = await explainAll(ex, images, 2);
    expect(all.faithfulness).toBeNull();
    expect(all.patches).toBeNull();
    expect(all.n).toBe(3);
    const one = await ex.explain(images);
    expect(Array.from(all.heatmaps)).toEqual(Array.from(one.heatmaps));
    expect(Array.from(all.probs)).toEqual(Array.from(one.probs));
    expect(joinBatches([], { size: [4, 4], layer: 'c2', method: 'gradcam', numClasses: 3 }).n).toBe(0);
    ex.dispose();
    c.dispose();
  });
});

describe('detectorInput', () => {
  it('is the map, or the map with its patch interleaved, and refuses a patch input without patches', () => {
    const maps = Float32Array.from([0.5, 1]);
    const patches = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(detectorInput('heatmap', maps, null, 2, [1, 1])).toBe(maps);
    expect(Array.from(detectorInput('heatmap-peak', maps, patches, 2, [1, 1]))).toEqual([0.5, 0.1, 0.2, 0.3, 1, 0.4, 0.5, 0.6].map((v) => expect.closeTo(v, 6)));
    expect(() => detectorInput('heatmap-peak', maps, null, 2, [1, 1])).toThrow(DetectorInputError);
    expect([inputChannels('heatmap'), inputChannels('heatmap-peak'), inputKindOf(4)]).toEqual([1, 4, 'heatmap-peak']);
    expect(() => inputKindOf(3)).toThrow(/1 \(map\) or 4/);
  });
});
