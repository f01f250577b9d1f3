/** Rendered insulator samples → model inputs (unit normalisation, x/255) and label indices. */
import * as tf from '@tensorflow/tfjs';
import type { InsulatorSample } from '../../src/core/data/insulator';
import { INSULATOR_CLASSES } from '../../src/core/data/insulator';

/** Images [n, h, w, 3] in [0, 1] (`unit` normalisation) of samples [from, to). */
export function toInputs(samples: readonly InsulatorSample[], from = 0, to = samples.length): tf.Tensor4D {
  const n = to - from;
  const { width: w, height: h } = samples[0].image;
  const buf = new Float32Array(n * h * w * 3);
  for (let s = 0; s < n; s++) {
    const d = samples[from + s].image.data;
    const o = s * h * w * 3;
    for (let i = 0, j = 0; i < d.length; i += 4, j += 3) {
      buf[o + j] = d[i] / 255;
      buf[o + j + 1] = d[i + 1] / 255;
      buf[o + j + 2] = d[i + 2] / 255;
    }
  }
  return tf.tensor4d(buf, [n, h, w, 3]);
}

/** Class index (0 good, 1 broken, 2 flashover) of every sample. */
export function labelsOf(samples: readonly InsulatorSample[]): Int32Array {
  return Int32Array.from(samples, (s) => INSULATOR_CLASSES.indexOf(s.cls));
}
