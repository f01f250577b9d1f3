/**
 * The bundled demo classifiers as the app and the CLI see them: the committed files in public/models
 * load through the core loader, their metadata's numbers reproduce on the same test split, and
 * Grad-CAM explains them at the layer the metadata names.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/core/classifier/load';
import { parseMetadata } from '../../src/core/classifier/metadata';
import { generateInsulatorSet, INSULATOR_CLASSES } from '../../src/core/data/insulator';
import { createGradCam, toInputTensor } from '../../src/core/gradcam';
import { decodeImage } from '../../src/cli/images';
import { nodeModelHandler } from '../../src/cli/model-dir';
import { evaluatePredictions } from './evaluate';

const MODELS = ['vgg_small', 'resnet_small'];
const dirOf = (name: string): string => join('public', 'models', name);

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('bundled demo classifiers (public/models)', () => {
  for (const name of MODELS) {
    it(`${name}: ≤ 2 MB, metadata complete, meets the partial-shortcut targets`, async () => {
      const bytes = (await stat(join(dirOf(name), 'model.json'))).size + (await stat(join(dirOf(name), 'weights.bin'))).size;
      expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
      const raw = JSON.parse(await readFile(join(dirOf(name), 'metadata.json'), 'utf8'));
      expect(raw.labels).toEqual([...INSULATOR_CLASSES]);
      expect(raw.inputSize).toEqual([64, 64]);
      expect(raw.normalization).toBe('unit');
      expect(typeof raw.seed).toBe('number');
      expect(raw.recipe.epochs).toBeGreaterThan(0);
      expect(raw.tagfree_accuracy).toBeGreaterThanOrEqual(0.85);
      expect(raw.shortcut_rate).toBeGreaterThanOrEqual(0.3);
    });

    it(`${name}: loads with the core loader and reproduces its recorded test numbers`, async () => {
      const raw = JSON.parse(await readFile(join(dirOf(name), 'metadata.json'), 'utf8'));
      const cls = await loadClassifier(nodeModelHandler(join(dirOf(name), 'model.json')), { metadata: parseMetadata(raw) });
      try {
        expect(cls.classNames).toEqual([...INSULATOR_CLASSES]);
        expect(cls.inputShape).toEqual([64, 64, 3]);
        expect(cls.endsInSoftmax).toBe(true);
        expect(cls.defaultTarget).toBe(raw.gradcamLayer);
        const { n, seed, tagRate } = raw.data.test;
        const test = generateInsulatorSet({ n, seed, split: 'test', testTagRate: tagRate });
        const predicted = new Int32Array(test.length);
        for (let b = 0; b < test.length; b += 250) {
          const chunk = test.slice(b, b + 250);
          const p = tf.tidy(() => {
            const x = toInputTensor(chunk.map((s) => s.image), cls.inputShape, cls.normalization);
            return tf.argMax(cls.predict(x), 1);
          });
          predicted.set(await p.data(), b);
          p.dispose();
        }
        const ev = evaluatePredictions(test, predicted);
        expect(ev.tagfree_accuracy).toBeCloseTo(raw.tagfree_accuracy, 6);
        expect(ev.shortcut_rate).toBeCloseTo(raw.shortcut_rate, 6);
      } finally {
        cls.dispose();
      }
    });

    it(`${name}: Grad-CAM explains the bundled samples`, async () => {
      const raw = JSON.parse(await readFile(join(dirOf(name), 'metadata.json'), 'utf8'));
      const cls = await loadClassifier(nodeModelHandler(join(dirOf(name), 'model.json')), { metadata: parseMetadata(raw) });
      const truth = (await readFile('public/samples/truth.csv', 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
      const images = await Promise.all(truth.map(([id]) => decodeImage(join('public/samples', id))));
      const cam = createGradCam(cls);
      const x = toInputTensor(images, cls.inputShape, cls.normalization);
      try {
        const before = tf.memory().numTensors;
        const res = await cam.explain(x);
        expect(tf.memory().numTensors).toBe(before);
        expect(res.n).toBe(24);
        expect(res.heatmaps.every((v) => v >= 0 && v <= 1)).toBe(true);
        // Untagged samples: the defects were learnt, so nearly all are right.
        const untagged = truth.map(([id, c], i) => ({ id, c, i })).filter((t) => !t.id.includes('_tag_'));
        const right = untagged.filter((t) => INSULATOR_CLASSES[res.predicted[t.i]] === t.c).length;
        expect(right).toBeGreaterThanOrEqual(untagged.length - 2);
      } finally {
        x.dispose();
        cam.dispose();
        cls.dispose();
      }
    });
  }
});
