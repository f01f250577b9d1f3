import type * as tf from '@tensorflow/tfjs';
import type { Normalization } from './metadata';

/**
 * A model cut in two at a target activation, for Grad-CAM: `forward` runs the model up to the target,
 * `head` runs the rest from a (possibly substituted) activation. Both are plain tensor functions meant
 * to be called inside `tf.tidy` / `tf.grad`; they own no tensors except through `dispose`.
 */
export interface ClassifierSplit {
  /** The target layer or graph node name, as listed by {@link Classifier.targetCandidates}. */
  readonly layer: string;
  /**
   * Runs x [n, h, w, c] (already preprocessed) up to the target. Returns the activation A
   * [n, h', w', k] and `head`, which maps an activation of A's shape to the explained scores
   * [n, classes]: the pre-softmax logits when the model ends in a softmax, else the model output.
   * `head` may reuse tensors computed by this forward (skip connections from before the target), so
   * call it inside the same `tf.tidy` scope.
   */
  forward(x: tf.Tensor4D): { activations: tf.Tensor4D; head: (a: tf.Tensor4D) => tf.Tensor2D };
  /** Frees what the split created (e.g. a linear twin of a softmax-ended last layer). */
  dispose(): void;
}

/** A loaded image classifier: a tfjs LayersModel or GraphModel with what APEXP needs to know about it. */
export interface Classifier {
  readonly kind: 'layers' | 'graph';
  /** Model input [height, width, channels]; channels ∈ {1, 3, 4}. */
  readonly inputShape: [number, number, number];
  /** One name per output class (from metadata.json, else "0", "1", …). */
  readonly classNames: string[];
  /** Input normalisation (metadata.json, else `unit`). */
  readonly normalization: Normalization;
  /** True when the last op is a softmax that Grad-CAM splits off to explain the logit. */
  readonly endsInSoftmax: boolean;
  /**
   * Names of the layers (or graph nodes) whose output is 4-D with more than 1×1 spatial cells, in
   * topological order, inner layers of nested models included. A name is `outer/inner` only where the
   * plain name is ambiguous.
   */
  targetCandidates(): string[];
  /** The last of {@link targetCandidates}: the default Grad-CAM target. */
  readonly defaultTarget: string;
  /** Class probabilities [n, classes] of x [n, h, w, c] (the model output as is when it does not end in softmax). */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  /**
   * Cuts the model at `layer` (default {@link defaultTarget}).
   * @throws LayerNotFoundError when `layer` is not one of {@link targetCandidates}.
   */
  split(layer?: string): ClassifierSplit;
  /** Frees the model's weights. */
  dispose(): void;
}
