/** Explains a rendered set with one classifier: Grad-CAM maps, predictions, probabilities, deletion scores. */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../../src/core/classifier/types';
import type { InsulatorSample } from '../../src/core/data/insulator';
import { deletionScores } from '../../src/core/faithfulness';
import { createGradCam, toInputTensor } from '../../src/core/gradcam';

/** Everything the benchmark needs about a set's explanations. */
export interface ExplainedSet {
  n: number;
  size: [number, number];
  /** n·h·w maps in [0, 1]. */
  heatmaps: Float32Array;
  predicted: Int32Array;
  /** Max softmax probability per image. */
  confidence: Float32Array;
  /** Deletion (faithfulness) score per image, higher = less faithful; only when asked for. */
  deletion: Float32Array | null;
}

/** Runs Grad-CAM (predicted class, maps of `size`) over `samples` in batches of `batch`. */
export async function explainSet(classifier: Classifier, samples: readonly InsulatorSample[], opts: { size?: [number, number]; batch?: number; deletion?: boolean } = {}): Promise<ExplainedSet> {
  const size = opts.size ?? [32, 32];
  const batch = opts.batch ?? 64;
  const n = samples.length;
  const cells = size[0] * size[1];
  const out: ExplainedSet = { n, size, heatmaps: new Float32Array(n * cells), predicted: new Int32Array(n), confidence: new Float32Array(n), deletion: opts.deletion ? new Float32Array(n) : null };
  const cam = createGradCam(classifier, { size });
  try {
    for (let b = 0; b < n; b += batch) {
      const chunk = samples.slice(b, b + batch);
      const x = toInputTensor(chunk.map((s) => s.image), classifier.inputShape, classifier.normalization);
      try {
        const res = await cam.explain(x);
        out.heatmaps.set(res.heatmaps, b * cells);
        out.predicted.set(res.predicted, b);
        for (let i = 0; i < res.n; i++) {
          let m = 0;
          for (let j = 0; j < res.numClasses; j++) m = Math.max(m, res.probs[i * res.numClasses + j]);
          out.confidence[b + i] = m;
        }
        if (out.deletion) out.deletion.set(await deletionScores(classifier, x, res.heatmaps, size, res.predicted), b);
      } finally {
        x.dispose();
      }
    }
  } finally {
    cam.dispose();
  }
  return out;
}

/** tfjs tensor count, for the leak check of the benchmark loop. */
export const tensorCount = (): number => tf.memory().numTensors;
