/** Explains a rendered set with one classifier through core/audit's explainer (the app's and the CLI's). */
import * as tf from '@tensorflow/tfjs';
import { createExplainer, explainAll } from '../../src/core/audit/explainer';
import type { Classifier } from '../../src/core/classifier/types';
import type { CamMethod } from '../../src/core/gradcam/cam-methods';
import type { InsulatorSample } from '../../src/core/data/insulator';

/** Everything the benchmark needs about a set's explanations. */
export interface ExplainedSet {
  n: number;
  size: [number, number];
  /** n·h·w maps in [0, 1]. */
  heatmaps: Float32Array;
  /** n·h·w·3 peak patches in [0, 1] (core/audit/peak-patch.ts). */
  patches: Float32Array;
  predicted: Int32Array;
  /** Max softmax probability per image. */
  confidence: Float32Array;
  /** Deletion (faithfulness) score per image, higher = less faithful; only when asked for. */
  deletion: Float32Array | null;
}

/** Runs the explainer (predicted class, maps of `size`, peak patches; Grad-CAM unless `method`) over `samples` in batches of `batch`. */
export async function explainSet(classifier: Classifier, samples: readonly InsulatorSample[], opts: { size?: [number, number]; batch?: number; deletion?: boolean; method?: CamMethod } = {}): Promise<ExplainedSet> {
  const size = opts.size ?? [32, 32];
  const ex = createExplainer(classifier, { size, faithfulness: !!opts.deletion, method: opts.method });
  try {
    const r = await explainAll(ex, samples.map((s) => s.image), opts.batch ?? 64, classifier.classNames.length);
    const confidence = Float32Array.from({ length: r.n }, (_, i) => Math.max(...r.probs.subarray(i * r.numClasses, (i + 1) * r.numClasses)));
    return { n: r.n, size, heatmaps: r.heatmaps, patches: r.patches as Float32Array, predicted: r.predicted, confidence, deletion: r.faithfulness };
  } finally {
    ex.dispose();
  }
}

/** tfjs tensor count, for the leak check of the benchmark loop. */
export const tensorCount = (): number => tf.memory().numTensors;
