/**
 * The explain step of the audit, once for every host: images → explanation records (Grad-CAM map,
 * the image patch under its peak, prediction, probabilities, deletion-faithfulness score). The worker,
 * the CLI and the benchmarks each feed it batches of decoded pixels from their own source (files,
 * the demo generator) and keep what it returns; none of them has its own copy of this body.
 */
import type { Classifier } from '../classifier/types';
import type { Normalization } from '../classifier/metadata';
import { inputRegion, toInputTensor, type ResizeMode } from '../classifier/preprocess';
import type { RgbaImage } from '../data/image';
import { deletionScores } from '../faithfulness/deletion';
import type { CamMethod } from '../gradcam/cam-methods';
import { createGradCam } from '../gradcam/grad-cam';
import { peakPatch } from './peak-patch';

/** How images are explained. Every field has the default of DESIGN.md "Explain". */
export interface ExplainerOptions {
  /** Grad-CAM target layer; default the classifier's `defaultTarget`. */
  layer?: string;
  /** Member of the CAM family (core/gradcam/cam-methods.ts); default `gradcam`. */
  method?: CamMethod;
  /** Heatmap size [h, w]; default [32, 32]. */
  size?: [number, number];
  /** Explained class: the predicted one (default) or a fixed class index. */
  target?: 'predicted' | number;
  /** Input normalisation; default the classifier's (metadata.json). */
  normalization?: Normalization;
  /** How images of another aspect ratio fit the input; default `stretch`. */
  resize?: ResizeMode;
  /** Compute the deletion-faithfulness baseline (6 more predictions of the batch); default true. */
  faithfulness?: boolean;
  /** Keep the image patch under each map's peak (the map + patch detector input); default true. */
  peakPatches?: boolean;
}

/** The explanations of one batch of n images, in input order. The caller owns no tensors. */
export interface ExplanationBatch {
  n: number;
  /** Heatmap size [h, w]. */
  size: [number, number];
  /** The Grad-CAM target layer the maps were taken at. */
  layer: string;
  /** The CAM method the maps were made with. */
  method: CamMethod;
  numClasses: number;
  /** n·h·w maps in [0, 1], each divided by its maximum, row-major. */
  heatmaps: Float32Array;
  predicted: Int32Array;
  /** Explained class per image. */
  targets: Int32Array;
  /** n·numClasses class probabilities. */
  probs: Float32Array;
  /** Deletion score per image (higher = less faithful); null when not asked for. */
  faithfulness: Float32Array | null;
  /** n·h·w·3 RGB in [0, 1], the patch under each map's peak resampled to h×w (peak-patch.ts); null when not asked for. */
  patches: Float32Array | null;
}

/** An explainer bound to one classifier, layer and set of options. Call `dispose()` when done. */
export interface Explainer {
  readonly layer: string;
  readonly method: CamMethod;
  readonly size: [number, number];
  /** The normalisation in use (the option, else the classifier's). */
  readonly normalization: Normalization;
  /**
   * Explains decoded images of any size (resized to the classifier input per `resize`); the peak
   * patches come from these pixels, not from the resized input.
   */
  explain(images: readonly RgbaImage[]): Promise<ExplanationBatch>;
  dispose(): void;
}

/**
 * Creates an explainer. A class the model lacks is rejected by Grad-CAM (GradCamError 'bad-target').
 * @throws LayerNotFoundError for an unknown layer; GradCamError for a bad size
 */
export function createExplainer(classifier: Classifier, opts: ExplainerOptions = {}): Explainer {
  const gradcam = createGradCam(classifier, { layer: opts.layer, size: opts.size, method: opts.method });
  const normalization = opts.normalization ?? classifier.normalization;
  const resize = opts.resize ?? 'stretch';
  const [ih, iw] = classifier.inputShape;

  async function explain(images: readonly RgbaImage[]): Promise<ExplanationBatch> {
    const x = toInputTensor([...images], classifier.inputShape, normalization, resize);
    try {
      const r = await gradcam.explain(x, opts.target ?? 'predicted');
      const [h, w] = r.size;
      const faithfulness = opts.faithfulness === false ? null : await deletionScores(classifier, x, r.heatmaps, r.size, r.targets);
      let patches: Float32Array | null = null;
      if (opts.peakPatches !== false) {
        patches = new Float32Array(r.n * h * w * 3);
        images.forEach((img, i) => patches!.set(peakPatch(img, r.heatmaps.subarray(i * h * w, (i + 1) * h * w), h, w, inputRegion(img, ih, iw, resize)), i * h * w * 3));
      }
      return { n: r.n, size: r.size, layer: r.layer, method: r.method, numClasses: r.numClasses, heatmaps: r.heatmaps, predicted: r.predicted, targets: r.targets, probs: r.probs, faithfulness, patches };
    } finally {
      x.dispose();
    }
  }

  return { layer: gradcam.layer, method: gradcam.method, size: gradcam.size, normalization, explain, dispose: () => gradcam.dispose() };
}

/** Batches of one explain run joined into one, in order (the CLI and the benchmarks keep whole runs). */
export function joinBatches(batches: readonly ExplanationBatch[], fallback: { size: [number, number]; layer: string; method: CamMethod; numClasses: number }): ExplanationBatch {
  const cat = <T extends Float32Array | Int32Array>(pick: (b: ExplanationBatch) => T | null, make: (n: number) => T): T => {
    const parts = batches.map(pick).filter((p): p is T => p !== null);
    const out = make(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const first = batches[0];
  const all = (f: (b: ExplanationBatch) => unknown) => batches.length > 0 && batches.every((b) => f(b) !== null);
  return {
    n: batches.reduce((a, b) => a + b.n, 0),
    size: first?.size ?? fallback.size,
    layer: first?.layer ?? fallback.layer,
    method: first?.method ?? fallback.method,
    numClasses: first?.numClasses ?? fallback.numClasses,
    heatmaps: cat((b) => b.heatmaps, (n) => new Float32Array(n)),
    predicted: cat((b) => b.predicted, (n) => new Int32Array(n)),
    targets: cat((b) => b.targets, (n) => new Int32Array(n)),
    probs: cat((b) => b.probs, (n) => new Float32Array(n)),
    faithfulness: all((b) => b.faithfulness) ? cat((b) => b.faithfulness, (n) => new Float32Array(n)) : null,
    patches: all((b) => b.patches) ? cat((b) => b.patches, (n) => new Float32Array(n)) : null,
  };
}

/** Explains in-memory images in batches of `batch` (the benchmarks' sets) and joins the results. */
export async function explainAll(explainer: Explainer, images: readonly RgbaImage[], batch = 64, numClasses = 0): Promise<ExplanationBatch> {
  const out: ExplanationBatch[] = [];
  for (let i = 0; i < images.length; i += batch) out.push(await explainer.explain(images.slice(i, i + batch)));
  return joinBatches(out, { size: explainer.size, layer: explainer.layer, method: explainer.method, numClasses });
}
