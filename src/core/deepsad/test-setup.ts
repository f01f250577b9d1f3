/** Test helpers shared by the Deep SAD tests: backend setup and small deterministic data. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '../random';
import { defaultConfig } from './config';
import type { DeepSadConfig, DeepSadData } from './types';

/** Activates `name` (wasm by default: the backend Node training runs on). */
export async function useBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

/**
 * A separable toy problem: `n` samples of [h, w, 1]. Normals are a bright blob in the top-left quadrant
 * plus noise; anomalies (every `anomalyEvery`-th sample) a blob in the bottom-right. Semi-targets: all 0
 * unless `labelAnomalies`, which labels the first `labelAnomalies` anomalies −1.
 */
export function toyData(n: number, [h, w]: [number, number], seed: number, anomalyEvery = 5, labelAnomalies = 0): { data: DeepSadData; isAnomaly: boolean[] } {
  const rng = createRng(seed);
  const x = new Float32Array(n * h * w);
  const isAnomaly: boolean[] = [];
  const semiTargets = new Int8Array(n);
  let labeled = 0;
  for (let i = 0; i < n; i++) {
    const anomaly = i % anomalyEvery === anomalyEvery - 1;
    isAnomaly.push(anomaly);
    if (anomaly && labeled < labelAnomalies) {
      semiTargets[i] = -1;
      labeled++;
    }
    const cy = anomaly ? 0.75 * h : 0.25 * h;
    const cx = anomaly ? 0.75 * w : 0.25 * w;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const d2 = ((r - cy) ** 2 + (c - cx) ** 2) / (0.04 * h * w);
        x[i * h * w + r * w + c] = Math.min(1, Math.max(0, Math.exp(-d2) + 0.1 * rng()));
      }
    }
  }
  return { data: { x, n, semiTargets }, isAnomaly };
}

/** Fraction of (anomaly, normal) pairs where the anomaly scores higher: the ROC AUC, ties counted ½. */
export function pairAuc(scores: Float32Array, isAnomaly: boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sa, i) => {
    if (!isAnomaly[i]) return;
    scores.forEach((sn, j) => {
      if (isAnomaly[j]) return;
      pairs++;
      wins += sa > sn ? 1 : sa === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** mnist_LeNet on 28×28 toy blobs with a short schedule (lr 1e-3, batch 32), for training tests. */
export function toyConfig(over: Partial<DeepSadConfig> = {}): DeepSadConfig {
  return { ...defaultConfig('mnist_LeNet', [28, 28, 1]), lr: 1e-3, aeLr: 1e-3, nEpochs: 6, aeNEpochs: 2, batchSize: 32, aeBatchSize: 32, seed: 3, ...over };
}
