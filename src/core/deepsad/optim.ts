/**
 * Adam with coupled L2 weight decay (PyTorch's `Adam(weight_decay=λ)`: gradient += λ·w before the
 * moments) and the multi-step learning-rate schedule (×0.1 at each milestone).
 */
import * as tf from '@tensorflow/tfjs';

/** PyTorch Adam's defaults (tfjs's ε default is the backend epsilon, 1e-7). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/**
 * Learning rate for 0-based `epoch`: base·0.1^(number of milestones ≤ epoch), i.e. milestone 50 means
 * epochs 1–50 (1-based) at `base`, 51+ at base/10 — PyTorch MultiStepLR's documented semantics. (The
 * reference calls `scheduler.step()` at the start of each epoch, which drops one epoch earlier.)
 */
export function lrAt(base: number, milestones: readonly number[], epoch: number): number {
  return base * 0.1 ** milestones.filter((m) => m <= epoch).length;
}

/** One Adam over an explicit variable list, with coupled weight decay. `dispose()` frees its moments. */
export class CoupledAdam {
  private readonly adam: tf.AdamOptimizer;

  constructor(
    private readonly vars: tf.Variable[],
    lr: number,
    private readonly weightDecay: number,
  ) {
    this.adam = tf.train.adam(lr, BETA1, BETA2, ADAM_EPS);
  }

  set lr(v: number) {
    // AdamOptimizer reads `learningRate` on every step; TS marks it protected.
    (this.adam as unknown as { learningRate: number }).learningRate = v;
  }

  get lr(): number {
    return (this.adam as unknown as { learningRate: number }).learningRate;
  }

  /** Applies one step from `grads` (keyed by variable name, as `tf.variableGrads` returns them); does not dispose them. */
  step(grads: tf.NamedTensorMap): void {
    tf.tidy(() => {
      const decayed: { name: string; tensor: tf.Tensor }[] = [];
      for (const v of this.vars) {
        const g = grads[v.name];
        if (g) decayed.push({ name: v.name, tensor: this.weightDecay > 0 ? tf.add(g, tf.mul(v, this.weightDecay)) : g });
      }
      this.adam.applyGradients(decayed);
    });
  }

  dispose(): void {
    this.adam.dispose();
  }
}
