import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { browserModelFiles, type NamedBlob } from './browser-files';
import { loadClassifier } from './load';
import { ModelLoadError } from './errors';
import { artifactsOf, seedWeights } from '../gradcam/test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function blob(name: string, content: string | ArrayBuffer): NamedBlob {
  const b = new Blob([content]);
  return { name, text: () => b.text(), arrayBuffer: () => b.arrayBuffer() };
}

/** A tiny classifier as the three files a user would drop: model.json, one .bin, metadata.json. */
async function droppedFiles() {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  seedWeights(model);
  const a = await artifactsOf(model);
  const json = { modelTopology: a.modelTopology, format: a.format, weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }] };
  return {
    model,
    files: [
      blob('group1-shard1of1.bin', a.weightData as ArrayBuffer),
      blob('metadata.json', JSON.stringify({ labels: ['cat', 'dog'], imageSize: 6 })),
      blob('model.json', JSON.stringify(json)),
    ],
  };
}

describe('browserModelFiles', () => {
  it('loads a model from files in any order, with its metadata', async () => {
    const { model, files } = await droppedFiles();
    const { handler, metadata } = await browserModelFiles(files);
    expect(metadata?.classNames).toEqual(['cat', 'dog']);
    const clf = await loadClassifier(handler, { metadata });
    expect(clf.classNames).toEqual(['cat', 'dog']);
    const x = tf.randomUniform([2, 6, 6, 3]) as tf.Tensor4D;
    const got = clf.predict(x).dataSync();
    const want = (model.predict(x) as tf.Tensor).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    clf.dispose();
  });

  it('names a missing weight file', async () => {
    const { files } = await droppedFiles();
    const err = await browserModelFiles(files.slice(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).code).toBe('missing-weights');
    expect((err as ModelLoadError).message).toMatch(/group1-shard1of1\.bin/);
  });

  it('rejects a file set without a model.json', async () => {
    await expect(browserModelFiles([blob('a.bin', new ArrayBuffer(4))])).rejects.toThrow(/no model\.json/);
  });
});
