import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DeepSadDataError } from './errors';
import { trainDeepSad, trainDeepSadSets } from './train';
import { pairAuc, toyConfig, toyData, useBackend } from './test-setup';
import type { TrainEvent } from './types';

beforeAll(() => useBackend('wasm'));


describe('trainDeepSad', () => {
  it('lowers the loss, keeps tensors flat across epochs, and scores anomalies higher', async () => {
    const { data, isAnomaly } = toyData(64, [28, 28], 1, 8, 2);
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    const tensorsAtEpoch: number[] = [];
    const det = await trainDeepSad(data, toyConfig({ nEpochs: 8, aeNEpochs: 3, batchSize: 16, aeBatchSize: 16 }), {
      onEpoch: (e) => {
        events.push(e);
        if (e.stage === 'train') tensorsAtEpoch.push(tf.memory().numTensors);
      },
    });
    const train = events.filter((e) => e.stage === 'train').map((e) => e.loss);
    expect(events.filter((e) => e.stage === 'pretrain')).toHaveLength(3);
    expect(train).toHaveLength(8);
    expect(train[7]).toBeLessThan(train[0] / 4);
    expect(new Set(tensorsAtEpoch).size).toBe(1);
    const scores = await det.score(data.x, data.n);
    const unlabeled = Array.from(scores).filter((_, i) => data.semiTargets[i] === 0);
    expect(pairAuc(Float32Array.from(unlabeled), isAnomaly.filter((_, i) => data.semiTargets[i] === 0))).toBeGreaterThan(0.9);
    expect(det.c).toHaveLength(32);
    expect(Array.from(det.c).every((v) => v === 0 || Math.abs(v) >= 0.1 - 1e-7)).toBe(true);
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible from the seed', async () => {
    const { data } = toyData(40, [28, 28], 2);
    const cfg = toyConfig({ nEpochs: 1, aeNEpochs: 1 });
    const a = await trainDeepSad(data, cfg);
    const b = await trainDeepSad(data, cfg);
    expect(Array.from(await a.score(data.x, data.n))).toEqual(Array.from(await b.score(data.x, data.n)));
    a.dispose();
    b.dispose();
  });

  it('rejects bad data with a one-line typed error', async () => {
    const cfg = toyConfig();
    const x = new Float32Array(2 * 784);
    await expect(trainDeepSad({ x, n: 3, semiTargets: new Int8Array(3) }, cfg)).rejects.toThrow(DeepSadDataError);
    await expect(trainDeepSad({ x, n: 2, semiTargets: Int8Array.from([0, 2]) }, cfg)).rejects.toThrow(/semi-target 1 is 2/);
    x[5] = NaN;
    await expect(trainDeepSad({ x, n: 2, semiTargets: new Int8Array(2) }, cfg)).rejects.toThrow(/input value 5 \(sample 0\) is NaN/);
    await expect(trainDeepSad({ x, n: 2, semiTargets: new Int8Array(2) }, { ...cfg, eta: 0 })).rejects.toThrow(/eta must be a finite number > 0/);
  });
});


describe('trainDeepSadSets', () => {
  it('equals one trainDeepSad per label set, pretraining once, with flat tensors', async () => {
    const { data } = toyData(48, [28, 28], 3, 6, 3);
    const none = new Int8Array(data.n);
    const cfg = toyConfig({ nEpochs: 2, aeNEpochs: 2, batchSize: 16, aeBatchSize: 16, seed: 7 });
    const before = tf.memory().numTensors;
    const pretrainEpochs: number[] = [];
    const [a, b] = await trainDeepSadSets({ x: data.x, n: data.n }, [data.semiTargets, none], cfg, { onEpoch: (e) => void (e.stage === 'pretrain' && pretrainEpochs.push(e.epoch)) });
    expect(pretrainEpochs).toEqual([1, 2]); // once, not once per set
    const a1 = await trainDeepSad(data, cfg);
    const b1 = await trainDeepSad({ ...data, semiTargets: none }, cfg);
    const [sa, sb, sa1, sb1] = await Promise.all([a, b, a1, b1].map((d) => d.score(data.x, data.n)));
    expect(Array.from(sa)).toEqual(Array.from(sa1));
    expect(Array.from(sb)).toEqual(Array.from(sb1));
    expect(Array.from(sa)).not.toEqual(Array.from(sb)); // the labels mattered
    expect(Array.from(a.c)).toEqual(Array.from(a1.c));
    for (const d of [a, b, a1, b1]) d.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks every label set before training', async () => {
    const { data } = toyData(8, [28, 28], 1);
    await expect(trainDeepSadSets({ x: data.x, n: data.n }, [data.semiTargets, new Int8Array(3)], toyConfig())).rejects.toThrow(/expected 8 semi-targets, got 3/);
  });
});
