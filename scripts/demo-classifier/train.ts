/**
 * Minibatch Adam training of a functional demo classifier (softmax cross-entropy on the logits),
 * seeded shuffling, step learning-rate decay. One Adam per model with an explicit variable list
 * (a shared Adam across variable sets crashed on wasm: audit-calibration.md).
 */
import * as tf from '@tensorflow/tfjs';
import type { InsulatorSample } from '../../src/core/data/insulator';
import { createRng } from '../../src/core/data/insulator/prng';
import type { Architecture, Params } from './architectures';
import { labelsOf, toInputs } from './data';

/** Training settings (recorded in metadata.json as the recipe). */
export interface TrainRecipe {
  epochs: number;
  batchSize: number;
  /** Adam learning rate of the first epochs. */
  lr: number;
  /** Epoch (0-based) from which the learning rate is multiplied by `lrDecay`. */
  lrMilestone: number;
  lrDecay: number;
  /** Seed of the shuffling (the weights' init seed is separate). */
  seed: number;
}

/** What each epoch reports. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  seconds: number;
  numTensors: number;
}

/** Trains `p` in place on `samples`; calls `onEpoch` after each epoch. Returns the epoch logs. */
export async function trainClassifier(
  arch: Architecture,
  p: Params,
  samples: readonly InsulatorSample[],
  recipe: TrainRecipe,
  onEpoch: (log: EpochLog) => void = () => {},
): Promise<EpochLog[]> {
  const labels = labelsOf(samples);
  const vars = Object.values(p);
  const rng = createRng(recipe.seed);
  const logs: EpochLog[] = [];
  let optimizer = tf.train.adam(recipe.lr);
  for (let epoch = 0; epoch < recipe.epochs; epoch++) {
    if (epoch === recipe.lrMilestone) {
      optimizer.dispose();
      optimizer = tf.train.adam(recipe.lr * recipe.lrDecay);
    }
    const t0 = performance.now();
    const order = Array.from(samples.keys());
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < order.length; b += recipe.batchSize) {
      const idx = order.slice(b, b + recipe.batchSize);
      const batch = idx.map((i) => samples[i]);
      const x = toInputs(batch);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(idx, (i) => labels[i]), 'int32'), 3));
      // The gradient's forward pass runs in its own tidy: keep the logits to count hits after it.
      let logits: tf.Tensor2D | null = null;
      const res = tf.tidy(() => {
        const cost = optimizer.minimize(
          () => {
            logits = tf.keep(arch.forward(p, x));
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          },
          true,
          vars,
        ) as tf.Scalar;
        const kept = logits as unknown as tf.Tensor2D;
        const hits = tf.sum(tf.equal(tf.argMax(kept, 1), tf.argMax(y, 1)));
        return tf.stack([cost, tf.cast(hits, 'float32')]);
      });
      (logits as unknown as tf.Tensor2D).dispose();
      const [l, h] = await res.data();
      res.dispose();
      x.dispose();
      y.dispose();
      lossSum += l * idx.length;
      correct += h;
    }
    const log = { epoch: epoch + 1, loss: lossSum / order.length, accuracy: correct / order.length, seconds: (performance.now() - t0) / 1000, numTensors: tf.memory().numTensors };
    logs.push(log);
    onEpoch(log);
  }
  optimizer.dispose();
  return logs;
}
