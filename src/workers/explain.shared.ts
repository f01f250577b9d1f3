/**
 * Classifier loading and batched Grad-CAM + faithfulness in the worker. Images arrive as pixels at the
 * classifier's input size; results leave as quantised heatmaps (Uint8) and typed arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { loadClassifier, parseMetadata, toInputTensor, type Classifier } from '../core/classifier';
import type { RgbaImage } from '../core/data/image';
import { deletionScores } from '../core/faithfulness';
import { createGradCam, type GradCam } from '../core/gradcam';
import { modelFilesHandler } from './model-files';
import { DEFAULT_EXPLAIN_OPTIONS, type ExplainBatch, type ExplainOptions, type ModelInfo, type ModelSource } from './protocol';
import { state } from './worker-state';

/** Images per Grad-CAM batch. */
export const EXPLAIN_BATCH = 16;
/** Heatmap side (DESIGN.md: 32×32 by default). */
export const HEATMAP_SIZE: [number, number] = [32, 32];
/** A model that has not loaded after this long is reported as broken (a bad drop can hang tfjs). */
export const MODEL_TIMEOUT_MS = 30_000;

let gradcam: { key: string; g: GradCam } | null = null;

/** What the page needs to know about classifier `name`. */
export function modelInfo(name: string, layer?: string): ModelInfo {
  const c = state.classifiers.get(name)!.classifier;
  return { name, inputShape: c.inputShape, classNames: c.classNames, layer: layer ?? c.defaultTarget, layers: c.targetCandidates() };
}

/** The active classifier, or null. */
export function activeClassifier(): Classifier | null {
  return state.active ? (state.classifiers.get(state.active)?.classifier ?? null) : null;
}

/** Loads a classifier from a URL or dropped files, warms it up, and registers it under `source.name`. */
export async function loadModel(source: ModelSource, activate: boolean, onStage: (s: 'loading' | 'warming') => void): Promise<ModelInfo> {
  onStage('loading');
  let classifier: Classifier;
  if (source.kind === 'url') {
    // An http(s) URL: loadClassifier reads metadata.json from beside model.json itself.
    classifier = await loadClassifier(source.url, { timeoutMs: MODEL_TIMEOUT_MS });
  } else {
    const { handler, metadata } = await modelFilesHandler(source.files);
    classifier = await loadClassifier(handler, { metadata: metadata === undefined ? undefined : parseMetadata(metadata), timeoutMs: MODEL_TIMEOUT_MS });
  }
  onStage('warming');
  const [h, w, c] = classifier.inputShape;
  const y = tf.tidy(() => classifier.predict(tf.zeros([1, h, w, c])));
  await y.data();
  y.dispose();
  if (gradcam?.key.startsWith(`${source.name}|`)) {
    gradcam.g.dispose();
    gradcam = null;
  }
  state.classifiers.get(source.name)?.classifier.dispose();
  state.classifiers.set(source.name, { classifier, source });
  if (activate || !state.active) state.active = source.name;
  return modelInfo(source.name);
}

/** Reloads every classifier from its source (after the backend changed under them). */
export async function reloadModels(): Promise<void> {
  gradcam = null; // its tensors lived on the lost backend
  const all = [...state.classifiers.values()];
  state.classifiers.clear();
  for (const { source } of all) await loadModel(source, source.name === state.active, () => {});
}

/**
 * Explains `images` (pixels at the active classifier's input size) and records their heatmaps. A class
 * the model lacks is rejected by Grad-CAM itself (GradCamError 'bad-target').
 */
export async function explainImages(ids: string[], images: RgbaImage[], options: ExplainOptions = DEFAULT_EXPLAIN_OPTIONS): Promise<ExplainBatch> {
  const c = activeClassifier();
  if (!c) throw new Error('no classifier is loaded');
  const { layer, target } = options;
  const key = `${state.active}|${layer ?? c.defaultTarget}`;
  if (gradcam?.key !== key) {
    gradcam?.g.dispose();
    gradcam = { key, g: createGradCam(c, { layer, size: HEATMAP_SIZE }) };
  }
  const x = toInputTensor(images, c.inputShape, c.normalization, 'stretch');
  try {
    const r = await gradcam.g.explain(x, target);
    // The faithfulness baseline (deletion curve): 6 more predictions of the batch.
    const faith = await deletionScores(c, x, r.heatmaps, r.size, r.targets);
    const [h, w] = r.size;
    const q = new Uint8Array(r.heatmaps.length);
    for (let i = 0; i < q.length; i++) q[i] = Math.round(Math.min(1, Math.max(0, r.heatmaps[i] || 0)) * 255);
    state.heatmapSize = [h, w];
    ids.forEach((id, i) => {
      const f = new Float32Array(h * w);
      for (let j = 0; j < h * w; j++) f[j] = q[i * h * w + j] / 255;
      state.heatmaps.set(id, f);
    });
    return {
      ids,
      predicted: Int32Array.from(r.predicted),
      targets: Int32Array.from(r.targets),
      numClasses: r.numClasses,
      probs: Float32Array.from(r.probs),
      size: [h, w],
      heatmaps: q,
      faithfulness: Float32Array.from(faith),
    };
  } finally {
    x.dispose();
  }
}
