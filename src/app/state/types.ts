/** Shared shapes of the app store (serialisable data only: ids, numbers, typed arrays, Blobs). */
import type { ImageMeta, ModelInfo } from '../../workers/protocol';

/** An analyst label of an explanation: normal (Deep SAD +1) or known anomalous (−1). */
export type Label = 'normal' | 'anomalous';

/** One image as the gallery shows it: the worker protocol's compact record (thumbnail, never full-size pixels). */
export type ImageRecord = ImageMeta;

/** One explanation: prediction, probabilities and the quantised heatmap. */
export interface Explanation {
  /** Predicted class index; −1 when unknown (maps made elsewhere without predictions.csv). */
  predicted: number;
  /** The explained class (−1 when unknown, as `predicted`). */
  target: number;
  /** Softmax probabilities, one per class; empty for maps made elsewhere, whose classifier gave at most `confidence`. */
  probs: Float32Array;
  /** Maps made elsewhere: the classifier's max class probability in [0, 1] from predictions.csv; absent when unknown (then `probs` is empty too). */
  confidence?: number;
  /** Heatmap in 0..255 (value/255 ∈ [0,1]), h·w row-major, h×w = the explanations slice's `heatmapSize`. */
  heatmap: Uint8Array;
  /** The image patch under the map's peak, RGB 0..255, h·w·3 (the detector's second view); absent in sessions saved before it existed. */
  patch?: Uint8Array;
  /** Deletion-curve score (higher = less faithful); NaN when not computed. */
  faithfulness: number;
}

/** A job the worker runs, as the UI shows it. */
export interface RunState {
  kind: 'idle' | 'ingest' | 'explain' | 'train' | 'model';
  /** Worker job id, for cancel; 0 when idle. */
  jobId: number;
  stage: string;
  done: number;
  total: number;
  /** performance.now() when the run started, for the ETA. */
  startedAt: number;
}

export type { ModelInfo };
