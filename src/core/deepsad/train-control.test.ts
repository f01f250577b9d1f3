import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DeepSadDivergedError } from './errors';
import { fineTuneDeepSad, trainDeepSad } from './train';
import { toyConfig, toyData, useBackend } from './test-setup';

beforeAll(() => useBackend('wasm'));


describe('trainDeepSad control', () => {
  it('stops with DeepSadDivergedError before the bad step, keeping a usable detector', async () => {
    const { data } = toyData(32, [28, 28], 3, 4, 8);
    // η near float32's max makes η/(d+ε) of the labeled anomalies overflow to Infinity on the first Deep SAD batch.
    const cfg = toyConfig({ eta: 3e38, nEpochs: 3, aeNEpochs: 1 });
    const err = await trainDeepSad(data, cfg).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeepSadDivergedError);
    const d = err as DeepSadDivergedError;
    expect(d.code).toBe('diverged');
    expect(d.at).toEqual({ stage: 'train', epoch: 1, batch: 0 });
    // the kept weights are those after pretraining: a run that stops there scores identically
    const ref = await trainDeepSad(data, { ...cfg, nEpochs: 0 });
    const got = await d.detector.score(data.x, data.n);
    expect(Array.from(got).every(Number.isFinite)).toBe(true);
    expect(Array.from(got)).toEqual(Array.from(await ref.score(data.x, data.n)));
    d.detector.dispose();
    ref.dispose();
  });

  it('stops at the next batch when the signal aborts, and still returns a detector', async () => {
    const { data } = toyData(96, [28, 28], 4);
    const ctl = new AbortController();
    const batches: string[] = [];
    const det = await trainDeepSad(data, toyConfig({ nEpochs: 5, aeNEpochs: 0, pretrain: false }), {
      signal: ctl.signal,
      onBatch: (stage, done) => {
        batches.push(`${stage}${done}`);
        if (stage === 'train' && done === 2) ctl.abort();
      },
    });
    expect(batches).toEqual(['train1', 'train2']);
    expect((await det.score(data.x.subarray(0, 2 * 784), 2)).every(Number.isFinite)).toBe(true);
    det.dispose();
    // an abort during pretraining skips Deep SAD training
    const ctl2 = new AbortController();
    const stages: string[] = [];
    const det2 = await trainDeepSad(data, toyConfig(), {
      signal: ctl2.signal,
      onBatch: (stage) => {
        stages.push(stage);
        ctl2.abort();
      },
    });
    expect(stages).toEqual(['pretrain']);
    expect(det2.c).toHaveLength(32);
    det2.dispose();
  });

});

describe('fineTuneDeepSad', () => {
  it('pushes newly labeled anomalies away from c, with c fixed and no leaks', async () => {
    const { data, isAnomaly } = toyData(64, [28, 28], 5, 4);
    const det = await trainDeepSad(data, toyConfig({ nEpochs: 2, aeNEpochs: 1 }));
    const c = Float32Array.from(det.c);
    const before = await det.score(data.x, data.n);
    const labeled = { ...data, semiTargets: Int8Array.from(isAnomaly.map((a) => (a ? -1 : 0))) };
    const tensors = tf.memory().numTensors;
    const losses: number[] = [];
    await fineTuneDeepSad(det, labeled, { nEpochs: 4, lr: 1e-3 }, { onEpoch: (e) => void losses.push(e.loss) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(losses).toHaveLength(4);
    expect(Array.from(det.c)).toEqual(Array.from(c));
    const after = await det.score(data.x, data.n);
    const meanOf = (s: Float32Array, anomaly: boolean) => {
      const v = Array.from(s).filter((_, i) => isAnomaly[i] === anomaly);
      return v.reduce((a, b) => a + b) / v.length;
    };
    expect(meanOf(after, true) / meanOf(after, false)).toBeGreaterThan(meanOf(before, true) / meanOf(before, false));
    await expect(fineTuneDeepSad(det, labeled, { nEpochs: 1.5 })).rejects.toThrow(/nEpochs must be an integer/);
    det.dispose();
  });
});

