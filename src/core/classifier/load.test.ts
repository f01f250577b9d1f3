import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from './load';
import { MetadataError, ModelLoadError, ModelShapeError } from './errors';
import { parseMetadata } from './metadata';
import { toInputTensor } from './preprocess';
import { artifactsOf } from '../gradcam/test-helpers';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

const tiny = () => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 3 })] });

describe('loadClassifier', () => {
  it('rejects a model whose input cannot take images', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 2 })] });
    await expect(loadClassifier(tf.io.fromMemory(await artifactsOf(m)))).rejects.toThrow(ModelShapeError);
    await expect(loadClassifier(tf.io.fromMemory(await artifactsOf(m)))).rejects.toThrow(/cannot take images/);
  });

  it('reports truncated weights as missing-weights', async () => {
    const a = await artifactsOf(tiny());
    const cut = { ...a, weightData: (a.weightData as ArrayBuffer).slice(0, 16) };
    const err = await loadClassifier(tf.io.fromMemory(cut)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).code).toBe('missing-weights');
  });

  it('times out instead of hanging', async () => {
    const never: tf.io.IOHandler = { load: () => new Promise<tf.io.ModelArtifacts>(() => {}) };
    await expect(loadClassifier(never, { timeoutMs: 50 })).rejects.toThrow(/did not finish/);
  });

  it('takes class names from metadata and checks their count', async () => {
    const a = await artifactsOf(tiny());
    const clf = await loadClassifier(tf.io.fromMemory(a), { metadata: parseMetadata({ labels: ['a', 'b', 'c'], normalization: 'signed' }) });
    expect(clf.classNames).toEqual(['a', 'b', 'c']);
    expect(clf.normalization).toBe('signed');
    clf.dispose();
    await expect(loadClassifier(tf.io.fromMemory(a), { metadata: parseMetadata({ labels: ['a'] }) })).rejects.toThrow(MetadataError);
    expect(() => parseMetadata({ normalization: 'zscore' })).toThrow(/normalization/);
    const tm = parseMetadata({ tfjsVersion: '1.3.1', packageName: '@teachablemachine/image', labels: ['x', 'y'], imageSize: 224 });
    expect(tm).toMatchObject({ classNames: ['x', 'y'], inputSize: [224, 224], normalization: 'signed' });
  });
});

describe('toInputTensor', () => {
  const img = { width: 2, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255]) };
  it('normalises unit, signed, imagenet and none', () => {
    const val = (n: 'unit' | 'signed' | 'imagenet' | 'none') => tf.tidy(() => Array.from(toInputTensor([img], [1, 2, 3], n).dataSync()));
    expect(val('none')).toEqual([255, 0, 0, 0, 0, 255]);
    expect(val('unit')).toEqual([1, 0, 0, 0, 0, 1]);
    expect(val('signed')).toEqual([1, -1, -1, -1, -1, 1]);
    const inet = val('imagenet');
    expect(inet[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(inet[1]).toBeCloseTo((0 - 0.456) / 0.224, 5);
  });
  it('resizes bilinearly, crops to the centre and makes luma for one channel', () => {
    const wide = { width: 4, height: 2, data: new Uint8ClampedArray(Array.from({ length: 8 }, (_, i) => [i * 30, i * 30, i * 30, 255]).flat()) };
    // centre crop of a 4×2 image to 1:1 keeps columns 1–2
    const crop = tf.tidy(() => Array.from(toInputTensor([wide], [2, 2, 1], 'none', 'center-crop').dataSync()));
    crop.forEach((v, i) => expect(v).toBeCloseTo([30, 60, 150, 180][i], 3));
    // stretching 4 columns to 2 averages neighbouring pairs (half-pixel centres)
    const stretch = tf.tidy(() => Array.from(toInputTensor([wide], [2, 2, 1], 'none').dataSync()));
    stretch.forEach((v, i) => expect(v).toBeCloseTo([15, 75, 135, 195][i], 3));
  });
});
