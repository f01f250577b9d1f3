/**
 * The body of `apexp explain` (also the first stage of `apexp audit`), loaded lazily: it pulls in tfjs,
 * the wasm backend and sharp.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../../core/classifier/load';
import { ClassifierError } from '../../core/classifier/errors';
import type { Classifier } from '../../core/classifier/types';
import type { Normalization } from '../../core/classifier/metadata';
import type { ResizeMode } from '../../core/classifier/preprocess';
import type { CamMethod } from '../../core/gradcam/cam-methods';
import { GradCamError } from '../../core/gradcam/grad-cam';
import { createExplainer, joinBatches, type ExplanationBatch, type Explainer } from '../../core/audit/explainer';
import type { RgbaImage } from '../../core/data/image';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { CliError } from '../errors';
import { decodeImage, listImages, type ImageEntry } from '../images';
import { formatExplanation } from '../explanations';
import { modelJsonPath, nodeModelHandler, readMetadataBeside } from '../model-dir';
import { tempPathFor } from '../io';
import { createProgress } from '../progress';

/** Resolved options of the explain stage. */
export interface ExplainOptions {
  model: string;
  images: string[];
  /** explanations.jsonl to write (atomically); none = keep in memory only. */
  out?: string;
  layer?: string;
  /** CAM method; default gradcam. */
  method?: CamMethod;
  target: 'predicted' | number;
  size: [number, number];
  batch: number;
  /** Overrides metadata.json's normalisation. */
  normalize?: Normalization;
  resize: ResizeMode;
  /** Also compute the deletion-faithfulness score of every map (audit). */
  faithfulness?: boolean;
  /** Also keep the image patch under every map's peak (audit `--input heatmap-peak`; core/audit/peak-patch). */
  peakPatches?: boolean;
}

/** A file that was skipped, and why. */
export interface SkippedImage {
  id: string;
  reason: string;
}

/** Everything the explain stage produced, in image order (skipped images left out). */
export interface ExplainResult {
  ids: string[];
  skipped: SkippedImage[];
  classNames: string[];
  layer: string;
  method: CamMethod;
  size: [number, number];
  normalization: Normalization;
  backend: string;
  heatmaps: Float32Array;
  predicted: Int32Array;
  targets: Int32Array;
  /** n·numClasses */
  probs: Float32Array;
  numClasses: number;
  /** Deletion scores (higher = less faithful), when asked for. */
  faithfulness?: Float32Array;
  /** n·h·w·3 RGB in [0, 1]: the patch under each map's peak, resampled to the map size, when asked for. */
  patches?: Float32Array;
}

/** The explain stage's result from its joined batches (one process's, or the fleet's shards') and what the batches do not hold. */
export function explainResult(all: ExplanationBatch, o: Pick<ExplainResult, 'ids' | 'skipped' | 'classNames' | 'size' | 'normalization' | 'backend'>): ExplainResult {
  return {
    ids: o.ids,
    skipped: o.skipped,
    classNames: o.classNames,
    layer: all.layer,
    method: all.method,
    size: [o.size[0], o.size[1]],
    normalization: o.normalization,
    backend: o.backend,
    heatmaps: all.heatmaps,
    predicted: all.predicted,
    targets: all.targets,
    probs: all.probs,
    numClasses: all.numClasses,
    faithfulness: all.faithfulness ?? undefined,
    patches: all.patches ?? undefined,
  };
}

/** Turns the core's typed errors into one-line CLI errors. */
export function asCliError(err: unknown): unknown {
  if (err instanceof ClassifierError || err instanceof GradCamError) return new CliError(err.message);
  return err;
}

/**
 * Loads `--model` (model.json or its directory) with its metadata.json. Whatever goes wrong while
 * reading a user's model file is that file's problem: the one-line error names it (tfjs's own errors
 * on a malformed topology included, which would otherwise read as an internal error).
 * @throws CliError
 */
export async function loadModelForCli(model: string): Promise<Classifier> {
  const jsonPath = await modelJsonPath(model);
  const metadata = await readMetadataBeside(jsonPath);
  try {
    return await loadClassifier(nodeModelHandler(jsonPath), { metadata });
  } catch (err) {
    const e = asCliError(err);
    const message = ((e as Error)?.message ?? String(e)).split('\n')[0];
    if (e instanceof CliError && message.includes(jsonPath)) throw e;
    throw new CliError(`${jsonPath}: ${message}`);
  }
}

/** One explanations.jsonl line of image `i` of a batch (the same line wherever the batch was explained). */
export function batchLine(r: ExplanationBatch, i: number, id: string): string {
  const [h, w] = r.size;
  return formatExplanation({
    id,
    predicted: r.predicted[i],
    probs: r.probs.subarray(i * r.numClasses, (i + 1) * r.numClasses),
    target: r.targets[i],
    layer: r.layer,
    method: r.method,
    size: r.size,
    heatmap: r.heatmaps.subarray(i * h * w, (i + 1) * h * w),
    patch: r.patches?.subarray(i * h * w * 3, (i + 1) * h * w * 3),
  });
}

/** What {@link explainEntries} reports as it goes. */
export interface ExplainEntriesHooks {
  /** An image that could not be decoded (it is left out, never retried). */
  onSkip?: (id: string, reason: string) => void;
  /** A batch explained: `kept` are its decoded images, in the batch's order. */
  onBatch?: (r: ExplanationBatch, kept: readonly ImageEntry[]) => void;
  /** `n` more images handled (explained or skipped). */
  onTick?: (n: number) => void;
}

/**
 * The explain loop over image files, once for `apexp explain`, `apexp audit` and the fleet's workers:
 * decode a batch (skipping unreadable files), explain it, hand it over. Batches are cut from `entries`
 * in order, `batch` at a time.
 */
export async function explainEntries(explainer: Explainer, entries: readonly ImageEntry[], batch: number, hooks: ExplainEntriesHooks = {}): Promise<{ batches: ExplanationBatch[]; ids: string[]; skipped: SkippedImage[] }> {
  const batches: ExplanationBatch[] = [];
  const ids: string[] = [];
  const skipped: SkippedImage[] = [];
  for (let start = 0; start < entries.length; start += batch) {
    const kept: { entry: ImageEntry; image: RgbaImage }[] = [];
    // sharp decodes on its own thread pool: decode the batch concurrently, keep the order.
    const slice = entries.slice(start, start + batch);
    const decoded = await Promise.allSettled(slice.map((e) => decodeImage(e.path)));
    decoded.forEach((d, i) => {
      if (d.status === 'fulfilled') kept.push({ entry: slice[i], image: d.value });
      else {
        const reason = ((d.reason as Error)?.message ?? String(d.reason)).split('\n')[0];
        skipped.push({ id: slice[i].id, reason });
        hooks.onSkip?.(slice[i].id, reason);
      }
    });
    if (kept.length) {
      const r = await explainer.explain(kept.map((b) => b.image));
      for (const b of kept) ids.push(b.entry.id);
      hooks.onBatch?.(r, kept.map((b) => b.entry));
      batches.push(r);
    }
    hooks.onTick?.(slice.length);
  }
  return { batches, ids, skipped };
}

/** The explainer `o` asks for, after checking `--target` against the model. @throws CliError */
export function explainerFor(classifier: Classifier, o: Omit<ExplainOptions, 'model' | 'images' | 'batch' | 'out'>): Explainer {
  if (o.target !== 'predicted' && o.target >= classifier.classNames.length) {
    throw new CliError(`--target ${o.target} is not a class index of this model (it has ${classifier.classNames.length} classes)`);
  }
  return createExplainer(classifier, { layer: o.layer, method: o.method, size: o.size, target: o.target, normalization: o.normalize, resize: o.resize, faithfulness: !!o.faithfulness, peakPatches: !!o.peakPatches });
}

/**
 * Explains every image: decode (skipping unreadable files with a warning), preprocess, batched
 * Grad-CAM (and deletion scores), streaming explanations.jsonl to a temp file renamed at the end.
 */
export async function runExplain(o: ExplainOptions): Promise<ExplainResult> {
  const backend = await selectBackend(NODE_BACKENDS);
  const { images } = await listImages(o.images);
  const classifier = await loadModelForCli(o.model);
  const tmp = o.out ? tempPathFor(o.out) : undefined;
  const stream = tmp ? createWriteStream(tmp) : undefined;
  const progress = createProgress({ label: 'explain', total: images.length });
  let explainer: Explainer | undefined;
  try {
    explainer = explainerFor(classifier, o);
    const { batches, ids, skipped } = await explainEntries(explainer, images, o.batch, {
      onSkip: (id, reason) => progress.log(`warning: skipping ${id}: ${reason}`),
      onBatch: (r, kept) => kept.forEach((e, i) => stream?.write(batchLine(r, i, e.id))),
      onTick: (n) => progress.tick(n),
    });
    if (ids.length === 0) throw new CliError(`none of the ${images.length} image file(s) could be decoded`);
    if (stream && tmp && o.out) {
      await new Promise<void>((res, rej) => stream.end((err?: Error | null) => (err ? rej(err) : res())));
      await rename(tmp, o.out);
    }
    const all = joinBatches(batches, { size: o.size, layer: explainer.layer, method: explainer.method, numClasses: classifier.classNames.length });
    return explainResult(all, { ids, skipped, classNames: classifier.classNames, size: o.size, normalization: explainer.normalization, backend });
  } catch (err) {
    throw asCliError(err);
  } finally {
    progress.done();
    if (stream && !stream.closed) stream.destroy();
    if (tmp) await rm(tmp, { force: true });
    explainer?.dispose();
    classifier.dispose();
  }
}
