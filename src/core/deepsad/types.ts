/**
 * Shared types of the Deep SAD engine (Ruff et al., ICLR 2020; reference code lukasruff/Deep-SAD-PyTorch).
 * Tensors cross this API as flat Float32Arrays in NHWC order, so callers never own tfjs tensors.
 */

/** Network names as in the seed tool, plus `heatmap_LeNet` (1×32×32 Grad-CAM maps, the default for explanations). */
export type NetName = 'mnist_LeNet' | 'fmnist_LeNet' | 'cifar10_LeNet' | 'mlp' | 'heatmap_LeNet';

/** Deep SAD semi-target of one training sample: 0 unlabeled, +1 labeled normal, -1 labeled anomalous. */
export type SemiTarget = -1 | 0 | 1;

/** Training configuration; names follow the seed's `main.py` options (camelCase here, kebab-case on the CLI). */
export interface DeepSadConfig {
  net: NetName;
  /** Input shape [height, width, channels] (for `mlp`: [1, 1, features]). */
  inputShape: [number, number, number];
  /** Hidden widths then code size of the `mlp` net, e.g. [32, 16, 8]; ignored by the LeNets. */
  mlpWidths?: number[];
  /** η: weight of the labeled terms (> 0). */
  eta: number;
  /** Adam learning rate of Deep SAD training. */
  lr: number;
  nEpochs: number;
  /** Epochs at which the learning rate is multiplied by 0.1. */
  lrMilestones: number[];
  batchSize: number;
  /** λ, coupled L2 weight decay as Adam's `weight_decay` (gradient += λ·w). */
  weightDecay: number;
  /** Autoencoder pretraining before Deep SAD (its encoder weights seed the network). */
  pretrain: boolean;
  aeLr: number;
  aeNEpochs: number;
  aeLrMilestones: number[];
  aeBatchSize: number;
  aeWeightDecay: number;
  /** Seed for weight init and batch shuffling. */
  seed: number;
}

/** One finished epoch, reported to {@link TrainHooks.onEpoch}. `loss` is the mean batch loss. */
export interface TrainEvent {
  stage: 'pretrain' | 'train';
  /** 1-based epoch number. */
  epoch: number;
  epochs: number;
  loss: number;
  /** Wall seconds of this epoch. */
  seconds: number;
}

/** Hooks into a training run. All optional. */
export interface TrainHooks {
  onEpoch?: (e: TrainEvent) => void | Promise<void>;
  /** After each batch: `done` of `total` batches of the current stage's current epoch. */
  onBatch?: (stage: TrainEvent['stage'], done: number, total: number) => void | Promise<void>;
  /** Stops training at the next batch; the detector keeps its last good weights. */
  signal?: AbortSignal;
}

/** Training data: `n` samples of `inputShape`, flattened NHWC, with one semi-target each. */
export interface DeepSadData {
  x: Float32Array;
  n: number;
  semiTargets: Int8Array;
}

/** A trained detector serialised without any platform I/O (Node writes it to a directory, the browser to IndexedDB). */
export interface DetectorBundle {
  format: 'apexp-deepsad';
  /** Bumped on any incompatible change; loaders reject other versions with a clear message. */
  version: 1;
  config: DeepSadConfig;
  /** Hypersphere centre c, length rep_dim. */
  c: number[];
  /** Every weight (and BatchNorm running statistic) in `weightData` order. */
  weightSpecs: { name: string; shape: number[] }[];
  /** All weights, float32, concatenated in `weightSpecs` order. */
  weightData: ArrayBuffer;
}

/** A trained Deep SAD detector. Owns tfjs variables: call `dispose()`. */
export interface DeepSadDetector {
  readonly config: DeepSadConfig;
  /** The centre c (rep_dim). */
  readonly c: Float32Array;
  /** Anomaly scores ||φ(x) − c||² (eval mode), one per sample; higher = more anomalous. */
  score(x: Float32Array, n: number): Promise<Float32Array>;
  /** Embeddings φ(x) (eval mode), n × rep_dim row-major. */
  embed(x: Float32Array, n: number): Promise<Float32Array>;
  /** Serialises weights, c and config. */
  toBundle(): Promise<DetectorBundle>;
  dispose(): void;
}
