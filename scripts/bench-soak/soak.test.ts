import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';
import { runSoak } from './soak';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('the detector worker over many label rounds', () => {
  it('holds tf.memory().numTensors flat over 30 label → update → agreement rounds, bursts included', async () => {
    // The product's detector (map + peak patch), with a short schedule so that the test stays small.
    const settings = { ...DEFAULT_AUDITOR_SETTINGS, batchSize: 16, trainSteps: 4, aeSteps: 2, updateSteps: 3, updateUnlabeled: 8, updateLabeled: 8 };
    const r = await runSoak({ n: 60, cycles: 30, settings, burstEvery: 5, sampleEvery: 1 });
    expect(r.errors).toEqual([]);
    expect(r.roundMs).toHaveLength(30);
    expect(r.samples).toHaveLength(30);
    // The labels really changed over the run (else the loop would not be exercised).
    expect(new Set(r.samples.map((s) => s.labels)).size).toBeGreaterThan(3);
    const first = r.samples[0];
    for (const s of r.samples) {
      expect(s.numTensors, `after round ${s.cycle}`).toBe(first.numTensors);
      expect(s.tfBytes, `after round ${s.cycle}`).toBe(first.tfBytes);
    }
  });
});
