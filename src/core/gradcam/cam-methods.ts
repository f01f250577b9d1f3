// Types only: the CLI parses --method at start-up without loading tfjs.
import type * as tf from '@tensorflow/tfjs';

/**
 * The gradient-based members of the CAM family, as pytorch-grad-cam defines them. All of them combine
 * the target layer's activations A [n, h, w, k] with the gradient g = ∂y/∂A of the target class's
 * pre-softmax score y, so they share one forward and one backward pass per batch and differ only here.
 */
export const CAM_METHODS = ['gradcam', 'gradcam++', 'hirescam', 'xgradcam', 'layercam'] as const;

/** One of {@link CAM_METHODS}. */
export type CamMethod = (typeof CAM_METHODS)[number];

/** The default method (DESIGN.md "Explain"): Grad-CAM, until a benchmark shows another flags better. */
export const DEFAULT_CAM_METHOD: CamMethod = 'gradcam';

/** Whether `m` names a CAM method (for options read from files, flags and stored settings). */
export function isCamMethod(m: unknown): m is CamMethod {
  return typeof m === 'string' && (CAM_METHODS as readonly string[]).includes(m);
}

/** Grad-CAM++'s ε in the denominator of α (pytorch-grad-cam's GradCAMPlusPlus). */
const PLUSPLUS_EPS = 1e-6;
/** XGrad-CAM's ε in the denominator of w (pytorch-grad-cam's XGradCAM). */
const XGRAD_EPS = 1e-7;

/**
 * The class activation map before ReLU and normalisation: [n, h, w] from A and g [n, h, w, k].
 *   - gradcam:   Σ_k mean_ij(g_k) · A_k
 *   - hirescam:  Σ_k g_k ⊙ A_k
 *   - xgradcam:  Σ_k w_k · A_k, w_k = Σ_ij(g_k ⊙ A_k) / (Σ_ij A_k + 1e-7)
 *   - layercam:  Σ_k ReLU(g_k) ⊙ A_k
 *   - gradcam++: Σ_k w_k · A_k, w_k = Σ_ij α_k · ReLU(g_k), α = g² / (2g² + Σ_ij A_k · g³ + 1e-6), α = 0 where g = 0
 * Call inside tf.tidy.
 */
export function camOf(method: CamMethod, a: tf.Tensor4D, g: tf.Tensor4D): tf.Tensor3D {
  switch (method) {
    case 'gradcam':
      return a.mul(g.mean([1, 2], true)).sum(-1);
    case 'hirescam':
      return a.mul(g).sum(-1);
    case 'layercam':
      return a.mul(g.relu()).sum(-1);
    case 'xgradcam': {
      const w = a.mul(g).sum([1, 2], true).div(a.sum([1, 2], true).add(XGRAD_EPS));
      return a.mul(w).sum(-1);
    }
    case 'gradcam++': {
      const g2 = g.square();
      const g3 = g2.mul(g);
      const sumA = a.sum([1, 2], true);
      const alpha = g2.div(g2.mul(2).add(sumA.mul(g3)).add(PLUSPLUS_EPS));
      // Where g = 0 the ratio is 0/ε = 0 already, but pytorch-grad-cam zeroes it explicitly; so do we.
      const alphaMasked = alpha.mul(g.notEqual(0).cast('float32'));
      const w = alphaMasked.mul(g.relu()).sum([1, 2], true);
      return a.mul(w).sum(-1);
    }
  }
}
