/**
 * The typed message protocol between the page and the tfjs (explain) worker (DESIGN.md "Worker
 * protocol", style.md §4). Both directions are unions keyed on `type`; every request carries an `id`
 * that all its replies echo (id 0: a broadcast). Typed arrays in replies are transferred, not copied.
 * Deep SAD runs in its own worker (detector-protocol.ts).
 */
import type { BackendName } from '../core/tf/backend';
import { DEFAULT_CAM_METHOD, isCamMethod, type CamMethod } from '../core/gradcam/cam-methods';

/** The stages a job passes through (closed union; style.md §4). */
export type Stage = 'loading' | 'warming' | 'ready' | 'running' | 'done' | 'error';

/** Where a classifier comes from: a URL (bundled model) or dropped files (model.json + weights [+ metadata.json]). */
export type ModelSource = { kind: 'url'; url: string; name: string } | { kind: 'files'; files: File[]; name: string };

/** What the page learns about a loaded classifier. */
export interface ModelInfo {
  name: string;
  /** [height, width, channels] of the classifier input. */
  inputShape: [number, number, number];
  classNames: string[];
  /** The Grad-CAM target layer in use. */
  layer: string;
  /** Layers Grad-CAM may target (for the layer picker). */
  layers: string[];
}

/** One image as the page keeps it: a compact thumbnail, never the decoded full-size pixels. */
export interface ImageMeta {
  id: string;
  name: string;
  width: number;
  height: number;
  /** True class index when known (demo, or a folder name matching a class), else -1. */
  truth: number;
  /** JPEG thumbnail (≤ 64 px on the long side). */
  thumb: Blob;
  /** Demo-only: the nuisance the image carries (e.g. 'tag'), for the report. */
  tag?: string;
  /** True for a map brought without its image: `thumb` is the map itself (grayscale), shown as the picture. */
  noPhoto?: boolean;
}

/** A batch of explanations, aligned with `ids`. */
export interface ExplainBatch {
  ids: string[];
  /** Predicted class per image. */
  predicted: Int32Array;
  /** Explained class per image. */
  targets: Int32Array;
  numClasses: number;
  /** Softmax probabilities, n·numClasses, row-major. */
  probs: Float32Array;
  /** Heatmap side [h, w]. */
  size: [number, number];
  /** Heatmaps in [0, 1] quantised to 0..255, n·h·w row-major. */
  heatmaps: Uint8Array;
  /** The image patch under each map's peak (core/audit/peak-patch.ts), RGB 0..255, n·h·w·3: the detector's second view. */
  patches: Uint8Array;
  /** Deletion-curve faithfulness score per image (higher = less faithful); NaN when not computed. */
  faithfulness: Float32Array;
}

/**
 * How images are explained: the CAM method (undefined = Grad-CAM), the target layer (undefined = the
 * model's default) and the explained class (`'predicted'`, DESIGN.md's default, or a fixed class index,
 * e.g. to ask "where does it see *broken*?" on every image).
 */
export interface ExplainOptions {
  method?: CamMethod;
  layer?: string;
  target: 'predicted' | number;
}

/** DESIGN.md's default: Grad-CAM of the predicted class at the model's default layer. */
export const DEFAULT_EXPLAIN_OPTIONS: ExplainOptions = { target: 'predicted' };

/**
 * Explain options read back from IndexedDB or a project file, field by field: what is not a valid
 * method, layer name or class index falls back to the default (a stale or hand-edited file must not
 * make every later explain fail).
 */
export function explainOptionsFrom(raw: unknown): ExplainOptions {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: ExplainOptions = { target: Number.isInteger(r.target) && (r.target as number) >= 0 ? (r.target as number) : 'predicted' };
  if (isCamMethod(r.method) && r.method !== DEFAULT_CAM_METHOD) out.method = r.method;
  if (typeof r.layer === 'string' && r.layer) out.layer = r.layer;
  return out;
}

/** Requests from the page to the worker. */
export type WorkerRequest =
  | { type: 'init'; id: number; backend?: BackendName }
  | { type: 'loadModel'; id: number; source: ModelSource; activate: boolean }
  | { type: 'useModel'; id: number; name: string }
  /**
   * Generate `n` demo images (synthetic insulators) and ingest them; explains them when a model is active.
   * `skip`: ids already explained (a run resumed after a reload): registered as sources, neither sent again nor explained.
   */
  | { type: 'demo'; id: number; n: number; seed: number; size: number; options?: ExplainOptions; skip?: string[] }
  /** Decode and ingest image files; `truths` gives the class index per file (−1 unknown). */
  | { type: 'ingest'; id: number; files: File[]; ids: string[]; truths: number[]; options?: ExplainOptions }
  /** (Re-)explain every ingested image with the active model. */
  | { type: 'explain'; id: number; options?: ExplainOptions }
  | { type: 'cancel'; id: number }
  | { type: 'reset'; id: number }
  /** Test hook: destroys the WebGPU device to exercise the WebGL fallback. */
  | { type: 'loseDevice'; id: number };

/** Replies from the worker to the page. */
export type WorkerReply =
  /** `software`: the GPU is emulated (SwiftShader, a fallback adapter) or absent; `adapter` names it. */
  | { type: 'ready'; id: number; backend: BackendName; software: boolean; adapter: string }
  /** The backend changed under a running session (e.g. WebGPU device lost → WebGL). */
  | { type: 'backend'; id: number; backend: BackendName; reason: string }
  /** `done` of `total` units of `stage` are finished (fraction = done/total). */
  | { type: 'progress'; id: number; stage: Stage; done: number; total: number; label?: string }
  | { type: 'model'; id: number; info: ModelInfo }
  | { type: 'images'; id: number; images: ImageMeta[] }
  | { type: 'skipped'; id: number; name: string; reason: string }
  | { type: 'explained'; id: number; batch: ExplainBatch }
  | { type: 'result'; id: number; cancelled?: boolean }
  | { type: 'error'; id: number; name: string; code: string; message: string };

/** Replies that belong to one job (every reply except `ready`, `backend`, `result`, `error`). */
export type JobEvent = Exclude<WorkerReply, { type: 'ready' } | { type: 'result' } | { type: 'error' }>;

/** Typed-array buffers of a reply, so it can be posted with a transfer list. */
export function transferables(msg: WorkerReply): Transferable[] {
  switch (msg.type) {
    case 'explained': {
      const b = msg.batch;
      return [b.predicted.buffer, b.targets.buffer, b.probs.buffer, b.heatmaps.buffer, b.patches.buffer, b.faithfulness.buffer] as ArrayBuffer[];
    }
    default:
      return [];
  }
}
