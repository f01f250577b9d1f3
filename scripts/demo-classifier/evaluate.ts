/**
 * The two numbers the demo classifiers must meet on the UNBIASED test split: accuracy on tag-free
 * images (did it learn the defects?) and the shortcut rate, the fraction of tagged `good` shells it
 * calls faulty (did it learn the tag?). Plus the details a reader wants next to them.
 */
import * as tf from '@tensorflow/tfjs';
import type { InsulatorSample } from '../../src/core/data/insulator';
import { INSULATOR_CLASSES } from '../../src/core/data/insulator';
import { labelsOf, toInputs } from './data';

/** Measured quality of a demo classifier on a test split; fractions in [0, 1]. */
export interface DemoEvaluation {
  n: number;
  accuracy: number;
  /** Accuracy on the test images without a tag. */
  tagfree_accuracy: number;
  /** Fraction of tagged `good` images predicted `broken` or `flashover`. */
  shortcut_rate: number;
  /** Accuracy on tagged images. */
  tagged_accuracy: number;
  /** Accuracy of the faulty classes together (broken + flashover), all images. */
  faulty_accuracy: number;
  /** Per class and tag presence: accuracy and count. */
  per_class: Record<string, { tagged: { n: number; accuracy: number }; untagged: { n: number; accuracy: number } }>;
  /** confusion[true][predicted] counts, class order INSULATOR_CLASSES. */
  confusion: number[][];
}

/** Predicted class indices of samples by `predict` (probabilities or logits [n, 3]), in batches. */
export async function predictClasses(predict: (x: tf.Tensor4D) => tf.Tensor2D, samples: readonly InsulatorSample[], batch = 128): Promise<Int32Array> {
  const out = new Int32Array(samples.length);
  for (let b = 0; b < samples.length; b += batch) {
    const to = Math.min(samples.length, b + batch);
    const pred = tf.tidy(() => {
      const x = toInputs(samples, b, to);
      return tf.argMax(predict(x), 1);
    });
    out.set(await pred.data(), b);
    pred.dispose();
  }
  return out;
}

/** Scores predictions against the samples' truth and tags. */
export function evaluatePredictions(samples: readonly InsulatorSample[], predicted: Int32Array): DemoEvaluation {
  const truth = labelsOf(samples);
  const confusion = INSULATOR_CLASSES.map(() => [0, 0, 0]);
  const frac = (f: (i: number) => boolean, g: (i: number) => boolean): [number, number] => {
    let n = 0;
    let k = 0;
    for (let i = 0; i < samples.length; i++) {
      if (!f(i)) continue;
      n++;
      if (g(i)) k++;
    }
    return [n, n > 0 ? k / n : NaN];
  };
  const right = (i: number): boolean => predicted[i] === truth[i];
  for (let i = 0; i < samples.length; i++) confusion[truth[i]][predicted[i]]++;
  const per_class: DemoEvaluation['per_class'] = {};
  INSULATOR_CLASSES.forEach((c, ci) => {
    const [tn, ta] = frac((i) => truth[i] === ci && samples[i].tag, right);
    const [un, ua] = frac((i) => truth[i] === ci && !samples[i].tag, right);
    per_class[c] = { tagged: { n: tn, accuracy: ta }, untagged: { n: un, accuracy: ua } };
  });
  return {
    n: samples.length,
    accuracy: frac(() => true, right)[1],
    tagfree_accuracy: frac((i) => !samples[i].tag, right)[1],
    shortcut_rate: frac((i) => truth[i] === 0 && samples[i].tag, (i) => predicted[i] !== 0)[1],
    tagged_accuracy: frac((i) => samples[i].tag, right)[1],
    faulty_accuracy: frac((i) => truth[i] !== 0, right)[1],
    per_class,
    confusion,
  };
}
