import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';
import { descending, loopCurve, randomCurve, sessionInput, staticCurve, trainBase } from './simulate';
import type { LoopSession } from './session';
import { loopGoals, summarise } from './report';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** n images; every 4th anomalous (its map a blob bottom-right), image 3 also a shortcut case. */
function session(n: number): LoopSession {
  const cells = 1024;
  const heatmaps = new Uint8Array(n * cells);
  const anomalous = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    anomalous[i] = i % 4 === 3 ? 1 : 0;
    const [cy, cx] = anomalous[i] ? [24, 24] : [8, 8];
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) heatmaps[i * cells + r * 32 + c] = Math.round(255 * Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / 40) * (0.8 + 0.2 * ((i * 7 + r + c) % 5) / 4));
  }
  const shortcut = new Uint8Array(n);
  shortcut[3] = 1;
  return { n, size: [32, 32], heatmaps, patches: new Uint8Array(n * cells * 3).fill(128), unconfidence: Float32Array.from({ length: n }, (_, i) => (i % 3) / 3), predicted: new Int32Array(n), truth: { misclassified: anomalous, shortcut, anomalous } };
}

describe('bench:loop simulation', () => {
  it('counts what a static order finds per round, and the random expectation', () => {
    const s = session(8);
    expect(descending([0.1, NaN, 0.9, 0.5])).toEqual([2, 3, 0, 1]);
    const c = staticCurve([3, 7, 0, 1], s, 2, 2);
    expect(c).toEqual({ found: [2, 2], shortcut_found: [1, 1] });
    expect(randomCurve(s, 2, 2).found).toEqual([0.5, 1]);
    expect(Array.from(sessionInput(s, 4).subarray(0, 4))).toEqual([s.heatmaps[0] / 255, 128 / 255, 128 / 255, 128 / 255].map((v) => expect.closeTo(v, 6)));
  });

  it('runs the loop over the auditor: reviews distinct images, finds the anomalies, leaks no tensor', async () => {
    const s = session(48);
    const settings = { ...DEFAULT_AUDITOR_SETTINGS, input: 'heatmap' as const, ensemble: 1, batchSize: 16, trainSteps: 6, aeSteps: 0, updateSteps: 3, updateUnlabeled: 8 };
    const before = tf.memory().numTensors;
    const { bases } = await trainBase(s, settings);
    const c = await loopCurve('loop_next', s, settings, bases, 3, 4);
    expect(c.found).toHaveLength(3);
    expect(c.found.every((v, i) => i === 0 || v >= c.found[i - 1])).toBe(true);
    expect(c.found[2]).toBeLessThanOrEqual(12);
    // 12 of 48 are anomalous; the toy anomalies are far from the normal blob: most of the 12 reviewed are found.
    expect(c.found[2]).toBeGreaterThanOrEqual(6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('averages seeds and checks the goals', () => {
    const curve = (f: number, sc: number) => ({ found: [f], shortcut_found: [sc] });
    const run = (seed: number, loop: number) => ({ seed, classifier: 'm', n_test: 100, n_anomalies: 20, n_shortcut: 2, seconds: {}, strategies: { loop: curve(loop, 2), confidence: curve(5, 1), random: curve(2, 0.2), deepsad_unlabeled: curve(4, 0) } });
    const j = summarise([run(1, 10), run(2, 20)], { seeds: [1, 2], rounds: 1, perRound: 10, seconds: 1, command: 'x' });
    expect(j.classifiers.m.strategies.loop.found).toEqual([15]);
    expect(loopGoals(j.classifiers.m).map((g) => g.met)).toEqual([true, true, true, true]);
  });
});
