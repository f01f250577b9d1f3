/**
 * A bounded, warm-started fine-tune: a fixed number of Deep SAD steps on batches the caller picks, so
 * the time an update takes does not grow with the collection (the audit's live loop,
 * src/core/audit/auditor.ts). It runs in eval mode: BatchNorm keeps the running statistics of the
 * full training, because a batch of mostly labeled maps is not a sample of the data.
 */
import { NonFiniteStep, runSteps } from './epochs';
import type { DeepSadModel } from './detector';
import { DeepSadDivergedError } from './errors';
import { sadStage, checkData } from './train';
import type { DeepSadData, TrainHooks } from './types';

/** Options of {@link fineTuneSteps}. */
export interface StepsOptions {
  /** Optimizer steps (integer ≥ 0). */
  steps: number;
  /** Learning rate; default the detector's `config.lr`. */
  lr?: number;
}

/**
 * Runs `opts.steps` Deep SAD steps on `detector` (c fixed, η and weight decay from its config, one fresh
 * Adam), step s on the samples `pick(s)` of `data`. Abort: stops between steps, weights so far.
 * @throws DeepSadDivergedError (its `detector` is this one, with the weights before the bad step)
 */
export async function fineTuneSteps(detector: DeepSadModel, data: DeepSadData, pick: (step: number) => Uint32Array, opts: StepsOptions, hooks: TrainHooks = {}): Promise<number[]> {
  if (!Number.isInteger(opts.steps) || opts.steps < 0) throw new RangeError(`steps must be an integer ≥ 0, got ${opts.steps}`);
  const lr = opts.lr ?? detector.config.lr;
  if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`lr must be a finite number > 0, got ${lr}`);
  checkData(data, detector.config.inputShape);
  const spec = { ...sadStage(detector, lr, 1, []), evalMode: true };
  try {
    return (await runSteps(spec, data, opts.steps, pick, hooks)).losses;
  } catch (err) {
    if (err instanceof NonFiniteStep) throw new DeepSadDivergedError(`Deep SAD diverged: ${err.message}; kept the weights before that step`, detector, err.at);
    throw err;
  }
}
