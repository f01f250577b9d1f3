import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../deepsad/test-setup';
import { createRng } from '../random';
import { Auditor } from './auditor';
import { DEFAULT_AUDITOR_SETTINGS, type AuditorSettings } from './settings';

beforeAll(() => useBackend('wasm'));

/** n 32×32 one-channel maps: a blob top-left (normal) or, every 5th, bottom-right (anomalous), plus noise. */
function maps(n: number, seed: number): { x: Float32Array; anomalous: boolean[] } {
  const rng = createRng(seed);
  const x = new Float32Array(n * 1024);
  const anomalous: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const a = i % 5 === 4;
    anomalous.push(a);
    const [cy, cx] = a ? [24, 24] : [8, 8];
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) x[i * 1024 + r * 32 + c] = Math.min(1, Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / 40) + 0.1 * rng());
  }
  return { x, anomalous };
}

const settings: AuditorSettings = { ...DEFAULT_AUDITOR_SETTINGS, ranking: { deepsad: 1, vote: 0.5, bandwidth: 0.25, confidence: 0, learn: null }, input: 'heatmap', batchSize: 16, trainSteps: 6, aeSteps: 0, ensemble: 2, updateSteps: 4, updateUnlabeled: 8, updateLabeled: 8 };
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `m${from + i}`);

describe('Auditor', () => {
  it('trains, ranks every image, follows a label at once and unlearns an undone one', async () => {
    const before = tf.memory().numTensors;
    const { x } = maps(40, 1);
    const a = new Auditor(settings, [32, 32]);
    a.upsert(ids(40), x);
    expect(a.rank().score.every(Number.isNaN)).toBe(true);
    await a.train();
    const base = a.rank();
    expect(base.score.every(Number.isFinite)).toBe(true);
    expect(a.bundles()).toHaveLength(2);

    // A label moves the ranking at once, without a network pass: image 9's neighbours (the other anomalies) gain.
    a.setLabels(new Map([['m9', -1]]));
    const voted = a.rank();
    expect(voted.vote[14]).toBeGreaterThan(0);
    expect(voted.score[14]).toBeGreaterThan(base.score[14]);
    expect(voted.deepsad).toEqual(base.deepsad);

    // The bounded update fine-tunes from the base; undoing the label and updating again gives the base back exactly.
    await a.update();
    expect(a.rank().deepsad).not.toEqual(base.deepsad);
    a.setLabels(new Map());
    await a.update();
    expect(a.rank().score).toEqual(base.score);

    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('restores from its base bundles to the same ranking (a reload, an import)', async () => {
    const { x } = maps(40, 4);
    const a = new Auditor(settings, [32, 32]);
    a.upsert(ids(40), x);
    await a.train();
    const labels = new Map([['m4', -1], ['m9', -1], ['m0', 1], ['m1', 1]]);
    a.setLabels(labels);
    await a.update();
    const want = a.rank();
    const b = new Auditor(settings, [32, 32]);
    b.upsert(ids(40), x);
    b.setLabels(labels);
    await b.restore(a.bundles());
    expect(b.rank().score).toEqual(want.score);
    a.dispose();
    b.dispose();
  });

  it('scores images added after a detector exists, and re-scores a replaced one', async () => {
    const { x } = maps(30, 2);
    const a = new Auditor({ ...settings, ensemble: 1 }, [32, 32]);
    a.upsert(ids(20), x.subarray(0, 20 * 1024));
    await a.train();
    a.upsert(ids(10, 20), x.subarray(20 * 1024));
    expect(a.rank().score.slice(20).every(Number.isNaN)).toBe(true);
    expect(await a.embedPending()).toBe(10);
    const r = a.rank();
    expect(r.score.every(Number.isFinite)).toBe(true);
    a.upsert(['m3'], x.subarray(29 * 1024));
    expect(Number.isNaN(a.rank().score[3])).toBe(true);
    await a.embedPending();
    // m3 now holds m29's map: the same distance rank.
    const again = a.rank();
    expect(again.deepsad[3]).toBe(again.deepsad[29]);
    a.dispose();
  });

  it('measures agreement on held-out labels and proposes the next images to label', async () => {
    const before = tf.memory().numTensors;
    const { x, anomalous } = maps(60, 3);
    const a = new Auditor({ ...settings, ensemble: 1, trainSteps: 12 }, [32, 32]);
    a.upsert(ids(60), x, Float32Array.from({ length: 60 }, (_, i) => (i % 7) / 7));
    await a.train();
    const labels = new Map<string, number>();
    for (let i = 0; i < 30; i++) labels.set(`m${i}`, anomalous[i] ? -1 : 1);
    a.setLabels(labels);
    await a.update();
    const ag = await a.agreement(0.25, 3);
    expect(ag).not.toBeNull();
    expect(ag!.nAnomalous).toBe(6);
    expect(ag!.nNormal).toBe(24);
    expect(ag!.heldOut).toHaveLength(30);
    expect(ag!.heldOut.every((h) => h.percentile >= 0 && h.percentile <= 1)).toBe(true);
    // The toy anomalies are far from the normal blob: held out, most land inside a 25% budget, most normals outside.
    expect(ag!.anomalousCaught).toBeGreaterThanOrEqual(5);
    expect(ag!.normalCleared).toBeGreaterThanOrEqual(20);
    expect(ag!.disagreements).toHaveLength(ag!.nAnomalous - ag!.anomalousCaught + ag!.nNormal - ag!.normalCleared);
    const next = a.labelNext(5, 0.25);
    expect(next).toHaveLength(5);
    expect(next.every((id) => !labels.has(id))).toBe(true);
    const flags = a.flags(0.25);
    expect(flags.nCandidates).toBe(30);
    expect(flags.nFlaggedByLabel).toBe(6);
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns the ranking from the labels, predicted classes included, and carries them into a retraining', async () => {
    const { x, anomalous } = maps(40, 5);
    const learn: AuditorSettings = { ...settings, ensemble: 1, ranking: { deepsad: 3, vote: 2, bandwidth: 0.25, confidence: 6, learn: { precision: 1, byClass: true } } };
    // The classifier predicts class 1 for the anomalies and for images 0 and 1, class 0 for the rest; unconfidence is flat.
    const predicted = Int32Array.from(anomalous, (an, i) => (an || i < 2 ? 1 : 0));
    const a = new Auditor(learn, [32, 32]);
    a.upsert(ids(40), x, new Float32Array(40).fill(0.3), predicted);
    await a.train();
    const labels = new Map<string, number>();
    for (let i = 10; i < 40; i++) labels.set(`m${i}`, anomalous[i] ? -1 : 1);
    a.setLabels(labels);
    const r = a.rank();
    // Every labeled class-1 image was anomalous: the unlabeled class-1 images (0, 1, 4, 9) lead the unlabeled ones.
    const unl = [...Array(10).keys()];
    const top4 = unl.sort((p, q) => r.score[q] - r.score[p]).slice(0, 4).sort((p, q) => p - q);
    expect(top4).toEqual([0, 1, 4, 9]);
    // A retraining auditor keeps the classes: the same ranking from the same detectors.
    const b = a.withSettings(learn);
    b.setLabels(labels);
    await b.restore(a.bundles());
    await a.update();
    expect(Array.from(b.rank().score)).toEqual(Array.from(a.rank().score));
    a.dispose();
    b.dispose();
  });
});
