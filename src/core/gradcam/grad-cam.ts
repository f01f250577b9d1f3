import * as tf from '@tensorflow/tfjs';
import type { Classifier } from '../classifier/types';
import { camOf, DEFAULT_CAM_METHOD, isCamMethod, type CamMethod } from './cam-methods';

/** Options of {@link createGradCam}. */
export interface GradCamOptions {
  /** Target layer (or graph node) name, one of `classifier.targetCandidates()`; default `classifier.defaultTarget`. */
  layer?: string;
  /** Heatmap size [height, width] in cells; default [32, 32]. */
  size?: [number, number];
  /** Which member of the CAM family (cam-methods.ts); default `gradcam`. */
  method?: CamMethod;
}

/** Grad-CAM maps and predictions of one batch. All arrays are plain copies: the caller owns no tensors. */
export interface GradCamBatch {
  /** Number of images. */
  n: number;
  /** Heatmap size [h, w]. */
  size: [number, number];
  /** n·h·w values in [0, 1], image-major then row-major; each map divided by its maximum (an all-zero map stays zero). */
  heatmaps: Float32Array;
  /** Predicted class per image (argmax of the output). */
  predicted: Int32Array;
  /** Explained class per image. */
  targets: Int32Array;
  /** n·numClasses class probabilities (the model output when it does not end in softmax). */
  probs: Float32Array;
  numClasses: number;
  /** The target layer the maps were taken at. */
  layer: string;
  /** The CAM method the maps were made with. */
  method: CamMethod;
}

/** A Grad-CAM explainer bound to one classifier and target layer. Call `dispose()` when done. */
export interface GradCam {
  readonly layer: string;
  readonly method: CamMethod;
  readonly size: [number, number];
  /**
   * Explains a batch x [n, h, w, c] (already preprocessed, see `toInputTensor`): one forward pass to
   * the target layer, one head forward and one backward pass for the whole batch, each image with its
   * own target class (`'predicted'`, the default, or a fixed class index). Does not dispose x.
   */
  explain(x: tf.Tensor4D, target?: 'predicted' | number): Promise<GradCamBatch>;
  dispose(): void;
}

/** Bad Grad-CAM options (`bad-size`, `bad-target`, `bad-method`) or a backend without a kernel the backward pass needs. */
export class GradCamError extends Error {
  override name = 'GradCamError';
  constructor(
    readonly code: 'bad-size' | 'bad-target' | 'bad-method' | 'missing-gradient-kernel',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs `f` then `cleanup` (also on failure), turning tfjs's "Kernel 'X' not registered for backend 'y'" (e.g. wasm has no gradient of a
 * depthwise convolution) into a GradCamError that says what to do.
 */
function withKernelHint<T>(layer: string, f: () => T, cleanup: () => void): T {
  try {
    return f();
  } catch (err) {
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((err as Error)?.message ?? '');
    if (!m) throw err;
    throw new GradCamError(
      'missing-gradient-kernel',
      `the layers after ${layer} need the ${m[1]} kernel, which the ${m[2]} backend lacks: pick a later target layer, or another backend`,
    );
  } finally {
    cleanup();
  }
}

/**
 * The Grad-CAM of Selvaraju et al. (ICCV 2017), batched. For each image i with target class t_i:
 * α_k = mean over (u, v) of ∂y_{t_i}/∂A_k(u, v), where y is the pre-softmax score (logits) when the
 * model ends in a softmax, else the model output; map = ReLU(Σ_k α_k A_k), divided by its maximum,
 * then resized bilinearly (half-pixel centres, as OpenCV/pytorch-grad-cam) to `size`. With `method`
 * another member of the CAM family replaces the weighting Σ_k α_k A_k (cam-methods.ts); the passes,
 * the ReLU, the normalisation and the resize stay the same.
 *
 * The gradient of all images comes from one backward pass of Σ_i Σ_j y_ij·onehot(t_i)_j: the images
 * are independent in inference mode, so ∂/∂A_i of the sum is each image's own gradient. A one-hot
 * product rather than `gather`, because gather's gradient needs UnsortedSegmentSum, which wasm lacks.
 *
 * @throws LayerNotFoundError for an unknown `layer`; GradCamError for a bad `size` or `method`
 */
export function createGradCam(classifier: Classifier, opts: GradCamOptions = {}): GradCam {
  const size = opts.size ?? [32, 32];
  if (size.length !== 2 || !size.every((s) => Number.isInteger(s) && s > 0)) {
    throw new GradCamError('bad-size', `heatmap size must be two positive integers, got ${JSON.stringify(size)}`);
  }
  const method = opts.method ?? DEFAULT_CAM_METHOD;
  if (!isCamMethod(method)) {
    throw new GradCamError('bad-method', `unknown CAM method ${JSON.stringify(method)}: one of gradcam, gradcam++, hirescam, xgradcam, layercam`);
  }
  const split = classifier.split(opts.layer);
  const numClasses = classifier.classNames.length;

  async function explain(x: tf.Tensor4D, target: 'predicted' | number = 'predicted'): Promise<GradCamBatch> {
    if (target !== 'predicted' && !(Number.isInteger(target) && target >= 0 && target < numClasses)) {
      throw new GradCamError('bad-target', `target must be 'predicted' or a class index in 0..${numClasses - 1}, got ${target}`);
    }
    const n = x.shape[0];
    // Kept out of tf.grad's scope so the scores can be read after the backward pass; disposed below.
    let scores: tf.Tensor2D | undefined;
    let chosen: tf.Tensor1D | undefined;
    const [maps, probs, predicted, targets] = withKernelHint(split.layer, () => tf.tidy(() => {
      const { activations, head } = split.forward(x);
      const grad = tf.grad((a: tf.Tensor) => {
        const s = head(a as tf.Tensor4D);
        // argMax/oneHot pass no gradient: the one-hot only selects each image's class.
        const t = target === 'predicted' ? s.argMax(1) : tf.fill([n], target, 'int32');
        scores = tf.keep(s);
        chosen = tf.keep(t as tf.Tensor1D);
        return s.mul(tf.oneHot(t as tf.Tensor1D, s.shape[1])).sum();
      })(activations);
      const s = scores as unknown as tf.Tensor2D;
      const t = chosen as unknown as tf.Tensor1D;
      const cam = camOf(method, activations, grad as tf.Tensor4D).relu() as tf.Tensor3D;
      // An all-zero map has max 0 and stays zero: 0 / 1e-30 = 0.
      const normed = cam.div(cam.max([1, 2], true).maximum(1e-30));
      const resized = tf.image.resizeBilinear(normed.expandDims(-1) as tf.Tensor4D, size, false, true).clipByValue(0, 1);
      const out = [
        resized.reshape([n, size[0] * size[1]]),
        classifier.endsInSoftmax ? tf.softmax(s) : s.clone(),
        s.argMax(1).toInt(),
        t.toInt(),
      ];
      return out;
    }), () => tf.dispose([scores as tf.Tensor, chosen as tf.Tensor]));
    try {
      const [h, p, pr, tg] = await Promise.all([maps.data(), probs.data(), predicted.data(), targets.data()]);
      return {
        n,
        size: [size[0], size[1]],
        heatmaps: h as Float32Array,
        predicted: pr as Int32Array,
        targets: tg as Int32Array,
        probs: p as Float32Array,
        numClasses: probs.shape[1] ?? numClasses,
        layer: split.layer,
        method,
      };
    } finally {
      tf.dispose([maps, probs, predicted, targets]);
    }
  }

  return { layer: split.layer, method, size: [size[0], size[1]], explain, dispose: () => split.dispose() };
}
