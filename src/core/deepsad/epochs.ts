/**
 * The mini-batch loop shared by autoencoder pretraining and Deep SAD training: seeded shuffling,
 * the LR schedule, one guarded optimizer step per batch, epoch/batch hooks, abort between batches.
 */
import * as tf from '@tensorflow/tfjs';
import { batchOrder, gatherBatch } from './batches';
import { disposeStats, updateRunningStats, type BnBatchStats, type Mode } from './networks/ops';
import { CoupledAdam, lrAt } from './optim';
import type { Rng } from '../random';
import type { DeepSadData, TrainEvent, TrainHooks } from './types';

/** One stage to run: what to minimise over which variables, and its schedule. */
export interface StageSpec {
  stage: TrainEvent['stage'];
  vars: tf.Variable[];
  lr: number;
  milestones: readonly number[];
  epochs: number;
  batchSize: number;
  weightDecay: number;
  inputShape: [number, number, number];
  /** The batch loss (x [B,h,w,c], semi-targets [B]) in the given mode. */
  loss(x: tf.Tensor4D, y: tf.Tensor1D, mode: Mode): tf.Scalar;
  /**
   * Train in eval mode: BatchNorm normalises with its running statistics (which stay as they are), so
   * the steps optimise exactly the scores the detector gives. For short fine-tunes on label-heavy
   * batches, whose batch statistics would not be the data's.
   */
  evalMode?: boolean;
}

/** Thrown by {@link runStage} when a loss or gradient is not finite; no weight was changed by that batch. */
export class NonFiniteStep extends Error {
  override name = 'NonFiniteStep';
  constructor(readonly at: { stage: TrainEvent['stage']; epoch: number; batch: number }, readonly loss: number) {
    super(`${at.stage} loss became ${loss} at epoch ${at.epoch}, batch ${at.batch}`);
  }
}

/**
 * Computes loss and gradients, checks both are finite, then applies the step and the BatchNorm
 * running-statistic updates. Returns the batch loss, or null (nothing applied) when not finite.
 */
async function guardedStep(spec: StageSpec, opt: CoupledAdam, x: tf.Tensor4D, y: tf.Tensor1D): Promise<{ loss: number; ok: boolean }> {
  const stats: BnBatchStats[] = [];
  const { value, grads } = tf.variableGrads(() => spec.loss(x, y, spec.evalMode ? { training: false } : { training: true, stats }), spec.vars);
  const gradSum = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(g))));
  try {
    const [lossV, gradV] = await Promise.all([value.data(), gradSum.data()]);
    const ok = Number.isFinite(lossV[0]) && Number.isFinite(gradV[0]);
    if (ok) {
      opt.step(grads);
      updateRunningStats(stats);
    }
    return { loss: lossV[0], ok };
  } finally {
    disposeStats(stats);
    value.dispose();
    gradSum.dispose();
    tf.dispose(Object.values(grads));
  }
}

/**
 * One guarded step on the samples `idx` of `data`; returns its loss.
 * @throws NonFiniteStep (nothing applied) when the loss or a gradient is not finite
 */
async function stepOn(spec: StageSpec, opt: CoupledAdam, data: DeepSadData, idx: Uint32Array, at: { epoch: number; batch: number }): Promise<number> {
  const { x, y } = gatherBatch(data, spec.inputShape, idx);
  let r: { loss: number; ok: boolean };
  try {
    r = await guardedStep(spec, opt, x, y);
  } finally {
    x.dispose();
    y.dispose();
  }
  if (!r.ok) throw new NonFiniteStep({ stage: spec.stage, ...at }, r.loss);
  return r.loss;
}

/**
 * Runs `spec.epochs` epochs. Resolves to the mean batch losses per epoch, and `aborted` when
 * `hooks.signal` stopped it between batches (the weights are those after the last full step).
 * @throws NonFiniteStep before applying a step whose loss or gradient is NaN/Inf.
 */
export async function runStage(spec: StageSpec, data: DeepSadData, rng: Rng, hooks: TrainHooks = {}): Promise<{ losses: number[]; aborted: boolean }> {
  const opt = new CoupledAdam(spec.vars, spec.lr, spec.weightDecay);
  const losses: number[] = [];
  try {
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      const t0 = Date.now();
      opt.lr = lrAt(spec.lr, spec.milestones, epoch);
      const batches = batchOrder(data.n, spec.batchSize, rng);
      let sum = 0;
      for (let b = 0; b < batches.length; b++) {
        if (hooks.signal?.aborted) return { losses, aborted: true };
        sum += await stepOn(spec, opt, data, batches[b], { epoch: epoch + 1, batch: b });
        await hooks.onBatch?.(spec.stage, b + 1, batches.length);
      }
      const loss = sum / batches.length;
      losses.push(loss);
      await hooks.onEpoch?.({ stage: spec.stage, epoch: epoch + 1, epochs: spec.epochs, loss, seconds: (Date.now() - t0) / 1000 });
    }
    return { losses, aborted: false };
  } finally {
    opt.dispose();
  }
}

/**
 * Runs `steps` optimizer steps with one Adam, step s on the samples `pick(s)` of `data` (the caller
 * chooses each batch, e.g. every labeled sample plus a fresh sample of unlabeled ones). Resolves to the
 * per-step losses, and `aborted` when `hooks.signal` stopped it between steps.
 * @throws NonFiniteStep before applying a step whose loss or gradient is NaN/Inf.
 */
export async function runSteps(spec: StageSpec, data: DeepSadData, steps: number, pick: (step: number) => Uint32Array, hooks: TrainHooks = {}): Promise<{ losses: number[]; aborted: boolean }> {
  const opt = new CoupledAdam(spec.vars, spec.lr, spec.weightDecay);
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      if (hooks.signal?.aborted) return { losses, aborted: true };
      losses.push(await stepOn(spec, opt, data, pick(s), { epoch: 1, batch: s }));
      await hooks.onBatch?.(spec.stage, s + 1, steps);
    }
    return { losses, aborted: false };
  } finally {
    opt.dispose();
  }
}
