/**
 * Deep SAD in the worker: train on every stored heatmap with the analyst's labels, fine-tune after new
 * labels, and re-score everything. A NaN stops training and keeps the last good detector.
 */
import { DeepSadDivergedError, defaultConfig, fineTuneDeepSad, loadDetector, trainDeepSad } from '../core/deepsad';
import type { DeepSadData, DeepSadDetector, TrainHooks } from '../core/deepsad/types';
import type { LabelSet, TrainSettings, WorkerReply } from './protocol';
import { state } from './worker-state';

/**
 * Unlabeled heatmaps a fine-tune sees at most (plus every labeled one): bounds the label → re-ranked
 * latency at any collection size; re-scoring still covers every image.
 */
export const FINE_TUNE_MAX_UNLABELED = 1024;

/** A deterministic sample of `k` of `ids` (xorshift on a fixed seed), in their original order. */
function sample(ids: string[], k: number, seed: number): string[] {
  if (ids.length <= k) return ids;
  let x = seed >>> 0 || 1;
  const idx = ids.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => ids[i]);
}

/**
 * Stacks stored heatmaps (ingest order) with the labels as semi-targets: every one, or with
 * `maxUnlabeled` every labeled one plus a seeded sample of that many unlabeled ones.
 */
export function trainingData(labels: LabelSet, maxUnlabeled = Infinity, seed = 1): { ids: string[]; data: DeepSadData } {
  const labeled = new Set(labels.ids);
  let ids = state.ids.filter((id) => state.heatmaps.has(id));
  if (ids.length - labeled.size > maxUnlabeled) {
    const keep = new Set(sample(ids.filter((id) => !labeled.has(id)), maxUnlabeled, seed));
    ids = ids.filter((id) => labeled.has(id) || keep.has(id));
  }
  if (!ids.length) throw Object.assign(new Error('no heatmaps to train on: explain some images first'), { name: 'NoDataError', code: 'no-data' });
  const [h, w] = state.heatmapSize;
  const x = new Float32Array(ids.length * h * w);
  ids.forEach((id, i) => x.set(state.heatmaps.get(id)!, i * h * w));
  const byId = new Map(labels.ids.map((id, i) => [id, labels.targets[i]]));
  const semiTargets = Int8Array.from(ids.map((id) => byId.get(id) ?? 0));
  return { ids, data: { x, n: ids.length, semiTargets } };
}

/** Scores every stored heatmap with the current detector and posts `scores`. */
export async function scoreAll(id: number, post: (m: WorkerReply) => void): Promise<void> {
  if (!state.detector) return;
  const { ids, data } = trainingData({ ids: [], targets: new Int8Array(0) });
  const scores = await state.detector.score(data.x, data.n);
  post({ type: 'scores', id, ids, scores: Float32Array.from(scores) });
}

async function keep(detector: DeepSadDetector, id: number, post: (m: WorkerReply) => void): Promise<void> {
  if (state.detector && state.detector !== detector) state.detector.dispose();
  state.detector = detector;
  state.lastBundle = await detector.toBundle();
  post({ type: 'detector', id, bundle: state.lastBundle });
  await scoreAll(id, post);
}

/** On divergence: keep (and score with) the last good detector, then rethrow for the page to report. */
async function onDiverged(err: unknown, id: number, post: (m: WorkerReply) => void): Promise<never> {
  if (err instanceof DeepSadDivergedError) await keep(err.detector, id, post);
  throw err as Error;
}

function hooks(id: number, post: (m: WorkerReply) => void, signal: AbortSignal): TrainHooks {
  return {
    signal,
    onEpoch: (e) => post({ type: 'epoch', id, stage: e.stage, epoch: e.epoch, epochs: e.epochs, loss: e.loss }),
    onBatch: (stage, done, total) => post({ type: 'progress', id, stage: 'running', done, total, label: stage === 'pretrain' ? 'pretraining' : 'training' }),
  };
}

/** Trains a fresh detector. */
export async function train(id: number, settings: TrainSettings, labels: LabelSet, post: (m: WorkerReply) => void, signal: AbortSignal): Promise<void> {
  const { data } = trainingData(labels);
  const [h, w] = state.heatmapSize;
  const config = {
    ...defaultConfig('heatmap_LeNet', [h, w, 1]),
    nEpochs: settings.nEpochs,
    pretrain: settings.pretrain,
    aeNEpochs: settings.aeNEpochs,
    eta: settings.eta,
    lr: settings.lr,
    aeLr: settings.lr,
    batchSize: settings.batchSize,
    aeBatchSize: settings.batchSize,
    seed: settings.seed,
  };
  let detector: DeepSadDetector;
  try {
    detector = await trainDeepSad(data, config, hooks(id, post, signal));
  } catch (err) {
    return onDiverged(err, id, post);
  }
  await keep(detector, id, post);
}

let fineTunes = 0;

/** Fine-tunes the current detector on the labels (+ a sample of unlabeled heatmaps), then re-scores every image. */
export async function fineTune(id: number, labels: LabelSet, nEpochs: number, post: (m: WorkerReply) => void, signal: AbortSignal): Promise<void> {
  if (!state.detector) throw Object.assign(new Error('no detector yet: train first'), { name: 'NoDetectorError', code: 'no-detector' });
  fineTunes++;
  const { data } = trainingData(labels, FINE_TUNE_MAX_UNLABELED, fineTunes);
  let out: unknown;
  try {
    out = await fineTuneDeepSad(state.detector, data, { nEpochs }, hooks(id, post, signal));
  } catch (err) {
    return onDiverged(err, id, post);
  }
  const d = out && typeof out === 'object' && 'score' in out ? (out as DeepSadDetector) : state.detector;
  await keep(d, id, post);
}

/** Restores a detector from its bundle (after a reload, an import, or a lost GPU device). */
export async function restoreDetector(bundle: NonNullable<typeof state.lastBundle>): Promise<void> {
  state.detector?.dispose();
  state.detector = await loadDetector(bundle);
  state.lastBundle = bundle;
}
