import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInsulatorSet } from '../../src/core/data/insulator';
import type { ArchitectureName } from './architectures';
import { architecture, initParams } from './architectures';
import { toInputs } from './data';
import { evaluatePredictions } from './evaluate';
import { exportClassifier } from './export';
import { trainClassifier } from './train';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('demo classifiers', () => {
  for (const name of ['vgg_small', 'resnet_small'] as ArchitectureName[]) {
    it(`${name}: trains without leaking tensors, and exports a LayersModel equal to the trained network`, async () => {
      const arch = architecture(name, 32);
      const p = initParams(arch, 3);
      const data = generateInsulatorSet({ n: 24, seed: 1, split: 'train', size: 32 });
      const logs = await trainClassifier(arch, p, data, { epochs: 3, batchSize: 8, lr: 3e-3, lrMilestone: 2, lrDecay: 0.5, seed: 1 });
      expect(logs).toHaveLength(3);
      expect(logs.every((l) => Number.isFinite(l.loss))).toBe(true);
      // Flat tensor count across epochs: no per-batch leak.
      expect(logs[2].numTensors).toBe(logs[0].numTensors);
      const x = toInputs(data, 0, 6);
      const dir = await mkdtemp(join(tmpdir(), 'apexp-demo-cls-'));
      try {
        const res = await exportClassifier(arch, p, x, join(dir, name), { labels: ['good', 'broken', 'flashover'] });
        expect(res.maxDiff).toBeLessThan(1e-4);
        const json = JSON.parse(await readFile(join(dir, name, 'model.json'), 'utf8'));
        expect(json.format).toBe('layers-model');
        expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
        const bin = await readFile(join(dir, name, 'weights.bin'));
        const nParams = Object.values(p).reduce((s, v) => s + v.size, 0);
        expect(bin.length).toBe(nParams * 4);
      } finally {
        await rm(dir, { recursive: true, force: true });
        x.dispose();
        Object.values(p).forEach((v) => v.dispose());
      }
    });
  }

  it('trains: loss falls on a fixed batch', async () => {
    const arch = architecture('vgg_small', 32);
    const p = initParams(arch, 5);
    const data = generateInsulatorSet({ n: 12, seed: 2, split: 'test', size: 32 });
    const logs = await trainClassifier(arch, p, data, { epochs: 12, batchSize: 12, lr: 1e-2, lrMilestone: 99, lrDecay: 1, seed: 2 });
    expect(logs[11].loss).toBeLessThan(logs[0].loss * 0.8);
    Object.values(p).forEach((v) => v.dispose());
  });

  it('evaluates tag-free accuracy and shortcut rate by hand-countable cases', () => {
    const s = generateInsulatorSet({ n: 6, seed: 3, split: 'test', testTagRate: 0 });
    // Items: good, broken, flashover, good, broken, flashover; tag the two goods by hand.
    const samples = s.map((x, i) => ({ ...x, tag: i === 0 || i === 3 }));
    const ev = evaluatePredictions(samples, Int32Array.from([1, 1, 2, 0, 2, 2]));
    expect(ev.tagfree_accuracy).toBe(3 / 4); // items 1, 2, 4, 5: right, right, wrong, right
    expect(ev.shortcut_rate).toBe(1 / 2); // tagged goods: 0 called broken, 3 called good
    expect(ev.accuracy).toBe(4 / 6);
    expect(ev.confusion).toEqual([[1, 1, 0], [0, 1, 1], [0, 0, 2]]);
  });
});
