import type * as tf from '@tensorflow/tfjs';
import type { ClassifierMetadata } from './metadata';
import { MetadataError, ModelShapeError } from './errors';

/** Largest input side accepted (pixels): a bigger one is a broken or hostile model.json, whose warm-up would ask for terabytes. */
export const MAX_INPUT_SIDE = 4096;

/**
 * Turns a model's symbolic input shape [batch, h, w, c] into a concrete [h, w, c], taking unknown
 * spatial sizes from metadata.json's input size.
 * @throws ModelShapeError when the input is not 4-D, has a channel count other than 1, 3 or 4, has an unknown size without metadata, or a side over {@link MAX_INPUT_SIDE}
 */
export function resolveInputShape(shape: readonly (number | null)[], metadata?: ClassifierMetadata): [number, number, number] {
  const show = `[${shape.map((d) => (d === null || d < 0 ? '?' : d)).join(', ')}]`;
  if (shape.length !== 4) throw new ModelShapeError(`the model input ${show} cannot take images: expected [batch, height, width, channels]`);
  const known = (d: number | null): d is number => d !== null && d > 0;
  const c = shape[3];
  if (!known(c) || ![1, 3, 4].includes(c)) throw new ModelShapeError(`the model input ${show} cannot take images: expected 1, 3 or 4 channels`);
  const h = known(shape[1]) ? shape[1] : metadata?.inputSize?.[0];
  const w = known(shape[2]) ? shape[2] : metadata?.inputSize?.[1];
  if (!h || !w) throw new ModelShapeError(`the model input ${show} has no fixed size: give metadata.json an "imageSize"`);
  if (h > MAX_INPUT_SIDE || w > MAX_INPUT_SIDE) throw new ModelShapeError(`the model input ${h}×${w} is too large: at most ${MAX_INPUT_SIDE} pixels a side`);
  return [h, w, c];
}

/**
 * Checks a prediction is [batch, classes] with at least two classes and returns the class count.
 * @throws ModelShapeError otherwise
 */
export function checkOutput(y: tf.Tensor): number {
  const shape = y.shape as number[];
  if (shape.length !== 2 || shape[1] < 2) {
    throw new ModelShapeError(`the model output has shape [${y.shape.join(', ')}]; a classifier outputs [batch, classes] with at least 2 classes`);
  }
  return shape[1];
}

/** Class names from metadata, or "0", "1", … when it has none. @throws MetadataError when the count does not match */
export function resolveClassNames(numClasses: number, metadata?: ClassifierMetadata): string[] {
  const names = metadata?.classNames;
  if (!names) return Array.from({ length: numClasses }, (_, i) => String(i));
  if (names.length !== numClasses) throw new MetadataError(`metadata.json names ${names.length} classes but the model has ${numClasses} outputs`);
  return [...names];
}
