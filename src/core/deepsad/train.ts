/**
 * Deep SAD training (Ruff et al., ICLR 2020) as the reference code does it: optional autoencoder
 * pretraining on all samples (labels ignored), the encoder weights kept, c = clamped mean embedding,
 * then the Deep SAD loss with c fixed. Adam with coupled weight decay and ×0.1 LR milestones.
 */
import * as tf from '@tensorflow/tfjs';
import { computeCenter } from './center';
import { validateConfig } from './config';
import { DeepSadModel } from './detector';
import { runStage, NonFiniteStep, type StageSpec } from './epochs';
import { DeepSadDataError, DeepSadDivergedError } from './errors';
import { deepSadLoss, reconstructionLoss, squaredDistances } from './loss';
import { buildDecoder, buildEncoder } from './networks/build';
import type { Encoder } from './networks/network';
import { createRng, type Rng } from '../random';
import type { DeepSadConfig, DeepSadData, DeepSadDetector, TrainHooks } from './types';

/** @throws DeepSadDataError when `data` does not fit `inputShape` or holds a bad semi-target or value. */
export function checkData(data: DeepSadData, inputShape: [number, number, number]): void {
  const len = inputShape[0] * inputShape[1] * inputShape[2];
  if (!Number.isInteger(data.n) || data.n < 1) throw new DeepSadDataError(`training data needs at least 1 sample, got n = ${data.n}`);
  if (data.x.length !== data.n * len) throw new DeepSadDataError(`expected ${data.n} samples × ${len} values = ${data.n * len}, got ${data.x.length}`);
  if (data.semiTargets.length !== data.n) throw new DeepSadDataError(`expected ${data.n} semi-targets, got ${data.semiTargets.length}`);
  for (let i = 0; i < data.n; i++) {
    const y = data.semiTargets[i];
    if (y !== 0 && y !== 1 && y !== -1) throw new DeepSadDataError(`semi-target ${i} is ${y}; use 0 (unlabeled), 1 (normal) or -1 (anomalous)`);
  }
  for (let i = 0; i < data.x.length; i++) {
    if (!Number.isFinite(data.x[i])) throw new DeepSadDataError(`input value ${i} (sample ${Math.floor(i / len)}) is ${data.x[i]}`);
  }
}

/** The Deep SAD stage over `model`'s encoder with c fixed. */
export function sadStage(model: DeepSadModel, lr: number, epochs: number, milestones: readonly number[]): StageSpec {
  const cfg = model.config;
  return {
    stage: 'train',
    vars: model.encoder.params.trainable(),
    lr,
    milestones,
    epochs,
    batchSize: cfg.batchSize,
    weightDecay: cfg.weightDecay,
    inputShape: cfg.inputShape,
    loss: (x, y, mode) => deepSadLoss(squaredDistances(model.encoder.forward(x, mode), model.cTensor), y, cfg.eta),
  };
}

/** Pretrains encoder + a fresh mirrored decoder as an autoencoder; the decoder is disposed afterwards. */
async function pretrain(encoder: Encoder, cfg: DeepSadConfig, data: DeepSadData, rng: Rng, hooks: TrainHooks): Promise<boolean> {
  const decoder = buildDecoder(cfg, rng);
  try {
    const spec: StageSpec = {
      stage: 'pretrain',
      vars: [...encoder.params.trainable(), ...decoder.params.trainable()],
      lr: cfg.aeLr,
      milestones: cfg.aeLrMilestones,
      epochs: cfg.aeNEpochs,
      batchSize: cfg.aeBatchSize,
      weightDecay: cfg.aeWeightDecay,
      inputShape: cfg.inputShape,
      loss: (x, _y, mode) => reconstructionLoss(decoder.forward(encoder.forward(x, mode), mode), x),
    };
    return (await runStage(spec, data, rng, hooks)).aborted;
  } finally {
    decoder.params.dispose();
  }
}

/**
 * Trains a detector on `data` (semi-targets 0 / +1 / −1). With `hooks.signal` aborted it stops at the
 * next batch and resolves with the weights so far (an abort during pretraining skips Deep SAD training;
 * c is still computed). Runs on the active tfjs backend.
 * @throws DeepSadConfigError, DeepSadDataError on bad input;
 *   DeepSadDivergedError when a loss or gradient turns NaN/Inf: its `detector` has the weights before that step.
 */
export async function trainDeepSad(data: DeepSadData, config: DeepSadConfig, hooks: TrainHooks = {}): Promise<DeepSadDetector> {
  const cfg = validateConfig(config);
  checkData(data, cfg.inputShape);
  const rng = createRng(cfg.seed);
  const encoder = buildEncoder(cfg, rng);
  let model: DeepSadModel | null = null;
  try {
    let aborted = false;
    if (cfg.pretrain && cfg.aeNEpochs > 0) {
      try {
        aborted = await pretrain(encoder, cfg, data, rng, hooks);
      } catch (err) {
        if (!(err instanceof NonFiniteStep)) throw err;
        const c = await computeCenter(encoder, data, cfg.inputShape, cfg.batchSize, rng);
        model = new DeepSadModel(cfg, encoder, c);
        throw new DeepSadDivergedError(`Deep SAD diverged: ${err.message}; kept the weights before that step`, model, err.at);
      }
    }
    model = new DeepSadModel(cfg, encoder, await computeCenter(encoder, data, cfg.inputShape, cfg.batchSize, rng));
    if (!aborted) await runSad(model, data, sadStage(model, cfg.lr, cfg.nEpochs, cfg.lrMilestones), rng, hooks);
    return model;
  } catch (err) {
    if (!(err instanceof DeepSadDivergedError)) {
      if (model) model.dispose();
      else encoder.params.dispose();
    }
    throw err;
  }
}

/** A generator that counts its draws, so another one can be brought to the same point of the stream. */
function countingRng(seed: number): { rng: Rng; draws: () => number } {
  const base = createRng(seed);
  let n = 0;
  return {
    rng: () => {
      n++;
      return base();
    },
    draws: () => n,
  };
}

/**
 * Trains one detector per label set on the same inputs, sharing the autoencoder pretraining: the
 * reconstruction loss ignores the labels, so every set would pretrain to the same weights. After one
 * pretraining, each set starts from a copy of the pretrained encoder and of the random stream at that
 * point, so detector j equals `trainDeepSad({ ...data, semiTargets: semiTargetSets[j] }, config)`
 * exactly, at the cost of one pretraining instead of one per set. `hooks` see the pretraining once,
 * then each set's training. On a divergence the detectors already trained are disposed and the
 * DeepSadDivergedError (with that set's last good detector) is rethrown.
 * @throws DeepSadConfigError, DeepSadDataError, DeepSadDivergedError as {@link trainDeepSad}
 */
export async function trainDeepSadSets(data: { x: Float32Array; n: number }, semiTargetSets: readonly Int8Array[], config: DeepSadConfig, hooks: TrainHooks = {}): Promise<DeepSadDetector[]> {
  const cfg = validateConfig(config);
  for (const semiTargets of semiTargetSets) checkData({ ...data, semiTargets }, cfg.inputShape);
  const unlabeled: DeepSadData = { ...data, semiTargets: new Int8Array(data.n) };
  const stream = countingRng(cfg.seed);
  const pretrained = buildEncoder(cfg, stream.rng);
  const out: DeepSadDetector[] = [];
  let handedOver = false;
  try {
    let aborted = false;
    if (cfg.pretrain && cfg.aeNEpochs > 0) {
      try {
        aborted = await pretrain(pretrained, cfg, unlabeled, stream.rng, hooks);
      } catch (err) {
        if (!(err instanceof NonFiniteStep)) throw err;
        const model = new DeepSadModel(cfg, pretrained, await computeCenter(pretrained, unlabeled, cfg.inputShape, cfg.batchSize, stream.rng));
        handedOver = true;
        throw new DeepSadDivergedError(`Deep SAD diverged: ${err.message}; kept the weights before that step`, model, err.at);
      }
    }
    // data(), not dataSync(): no blocking GPU read-back when this runs on WebGPU or WebGL.
    const weights = (await Promise.all(pretrained.params.entries.map((e) => e.variable.data()))) as Float32Array[];
    const draws = stream.draws();
    for (const semiTargets of semiTargetSets) {
      // A fresh encoder (its init draws go to a throwaway stream) with the pretrained weights, and the stream where pretraining left it.
      const encoder = buildEncoder(cfg, createRng(0));
      tf.tidy(() => encoder.params.entries.forEach((e, i) => e.variable.assign(tf.tensor(weights[i], e.variable.shape))));
      const rng = createRng(cfg.seed);
      for (let i = 0; i < draws; i++) rng();
      const set = { ...data, semiTargets };
      const model = new DeepSadModel(cfg, encoder, await computeCenter(encoder, set, cfg.inputShape, cfg.batchSize, rng));
      try {
        if (!aborted) await runSad(model, set, sadStage(model, cfg.lr, cfg.nEpochs, cfg.lrMilestones), rng, hooks);
      } catch (err) {
        if (!(err instanceof DeepSadDivergedError)) model.dispose();
        throw err;
      }
      out.push(model);
    }
    return out;
  } catch (err) {
    for (const d of out) d.dispose();
    throw err;
  } finally {
    if (!handedOver) pretrained.params.dispose();
  }
}

async function runSad(model: DeepSadModel, data: DeepSadData, spec: StageSpec, rng: Rng, hooks: TrainHooks): Promise<void> {
  try {
    await runStage(spec, data, rng, hooks);
  } catch (err) {
    if (err instanceof NonFiniteStep) throw new DeepSadDivergedError(`Deep SAD diverged: ${err.message}; kept the weights before that step`, model, err.at);
    throw err;
  }
}

/** Options of {@link fineTuneDeepSad}. */
export interface FineTuneOptions {
  /** Epochs of Deep SAD training (integer ≥ 0). */
  nEpochs: number;
  /** Learning rate; defaults to the detector's `config.lr` (no milestones). */
  lr?: number;
}

/**
 * Continues Deep SAD training of `detector` with c fixed, e.g. after the analyst added labels. Uses the
 * detector's η, batch size and weight decay; a fresh Adam. Abort and divergence behave as in
 * {@link trainDeepSad}; on divergence the error's `detector` is this same detector, with its last good weights.
 */
export async function fineTuneDeepSad(detector: DeepSadDetector, data: DeepSadData, opts: FineTuneOptions, hooks: TrainHooks = {}): Promise<void> {
  if (!(detector instanceof DeepSadModel)) throw new TypeError('fineTuneDeepSad needs a detector from trainDeepSad or loadDetector');
  if (!Number.isInteger(opts.nEpochs) || opts.nEpochs < 0) throw new RangeError(`nEpochs must be an integer ≥ 0, got ${opts.nEpochs}`);
  const lr = opts.lr ?? detector.config.lr;
  if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`lr must be a finite number > 0, got ${lr}`);
  checkData(data, detector.config.inputShape);
  detector.fineTunes += 1;
  const rng = createRng((detector.config.seed + 0x9e3779b9 * detector.fineTunes) >>> 0);
  await runSad(detector, data, sadStage(detector, lr, opts.nEpochs, []), rng, hooks);
}
