/** Batched class predictions of a classifier over decoded images, for the benchmarks' ground truth. */
import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../../src/core/classifier/types';
import type { RgbaImage } from '../../src/core/data/image';
import { toInputTensor } from '../../src/core/classifier/preprocess';

/**
 * Predicted class index (argmax of `classifier.predict`) of each image, `batch` images per call
 * (default 128). Images are preprocessed as the benchmarks' explanations are (toInputTensor,
 * stretch); every tensor is freed before this returns.
 * @returns n class indices in 0..classes−1
 */
export async function predictClasses(classifier: Classifier, images: readonly RgbaImage[], batch = 128): Promise<Int32Array> {
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`batch must be an integer ≥ 1, got ${batch}`);
  const out = new Int32Array(images.length);
  for (let b = 0; b < images.length; b += batch) {
    const pred = tf.tidy(() => {
      const x = toInputTensor(images.slice(b, b + batch), classifier.inputShape, classifier.normalization);
      return tf.argMax(classifier.predict(x), 1);
    });
    try {
      // data(), not dataSync(): no blocking read-back where the backend is a GPU.
      out.set(await pred.data(), b);
    } finally {
      pred.dispose();
    }
  }
  return out;
}
