/**
 * Classifier loading and batched Grad-CAM + faithfulness in the worker. Images arrive as pixels at the
 * classifier's input size; results leave as quantised heatmaps (Uint8) and typed arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { loadClassifier, parseMetadata, type Classifier } from '../core/classifier';
import type { RgbaImage } from '../core/data/image';
import { createExplainer, type Explainer } from '../core/audit/explainer';
import { modelFilesHandler } from './model-files';
import { DEFAULT_EXPLAIN_OPTIONS, type ExplainBatch, type ExplainOptions, type ModelInfo, type ModelSource } from './protocol';
import { state } from './worker-state';

/** Images per Grad-CAM batch. */
export const EXPLAIN_BATCH = 16;
/** Heatmap side (DESIGN.md: 32×32 by default). */
export const HEATMAP_SIZE: [number, number] = [32, 32];
/** A model that has not loaded after this long is reported as broken (a bad drop can hang tfjs). */
export const MODEL_TIMEOUT_MS = 30_000;

let explainer: { key: string; e: Explainer } | null = null;

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
  if (explainer?.key.startsWith(`${source.name}|`)) {
    explainer.e.dispose();
    explainer = null;
  }
  state.classifiers.get(source.name)?.classifier.dispose();
  state.classifiers.set(source.name, { classifier, source });
  if (activate || !state.active) state.active = source.name;
  return modelInfo(source.name);
}

/** Reloads every classifier from its source (after the backend changed under them). */
export async function reloadModels(): Promise<void> {
  explainer = null; // its tensors lived on the lost backend
  const all = [...state.classifiers.values()];
  state.classifiers.clear();
  for (const { source } of all) await loadModel(source, source.name === state.active, () => {});
}

/** Quantises values in [0, 1] to 0..255 (NaN → 0). */
function toBytes(v: Float32Array): Uint8Array {
  const q = new Uint8Array(v.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.round(Math.min(1, Math.max(0, v[i] || 0)) * 255);
  return q;
}

/**
 * Explains `images` (pixels at the active classifier's input size) through the core explainer: maps,
 * peak patches, predictions and deletion scores. A class the model lacks is rejected by Grad-CAM
 * itself (GradCamError 'bad-target').
 */
export async function explainImages(ids: string[], images: RgbaImage[], options: ExplainOptions = DEFAULT_EXPLAIN_OPTIONS): Promise<ExplainBatch> {
  const c = activeClassifier();
  if (!c) throw new Error('no classifier is loaded');
  const { method, layer, target } = options;
  const key = `${state.active}|${method ?? 'gradcam'}|${layer ?? c.defaultTarget}|${target}`;
  if (explainer?.key !== key) {
    explainer?.e.dispose();
    explainer = { key, e: createExplainer(c, { method, layer, size: HEATMAP_SIZE, target }) };
  }
  const r = await explainer.e.explain(images);
  return {
    ids,
    predicted: Int32Array.from(r.predicted),
    targets: Int32Array.from(r.targets),
    numClasses: r.numClasses,
    probs: Float32Array.from(r.probs),
    size: r.size,
    heatmaps: toBytes(r.heatmaps),
    patches: toBytes(r.patches as Float32Array),
    faithfulness: Float32Array.from(r.faithfulness as Float32Array),
  };
}
