/**
 * A small logistic model that learns from the analyst's labels how far to trust each signal of the
 * ranking (Deep SAD's distance rank, the classifier's unconfidence rank, the label vote): maximum a
 * posteriori weights under a Gaussian prior centred on the default weights, so that with no labels the
 * ranking is the prior's and every label moves it by the evidence it carries. A handful of features,
 * so Newton's method with a Cholesky solve converges in a few iterations.
 */

/** A Gaussian prior on the weights: mean `mean`, precision `precision` per weight (0 = flat). */
export interface WeightPrior {
  mean: ArrayLike<number>;
  precision: ArrayLike<number>;
}

/** Solves A x = b for a symmetric positive definite d×d `a` (row-major) by Cholesky. */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('matrix is not positive definite');
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/**
 * MAP logistic regression: argmax_w Σ_i [y_i log σ(x_i·w) + (1 − y_i) log(1 − σ(x_i·w))] − ½ Σ_k λ_k (w_k − m_k)².
 * @param x n·d features, row-major (include a constant column for an intercept)
 * @param y n targets in {0, 1} (1 = anomalous)
 * @param prior mean m and precision λ per weight; every λ_k > 0 keeps the problem strictly convex
 * @returns the d weights (the prior mean when n = 0)
 */
export function fitLogistic(x: ArrayLike<number>, y: ArrayLike<number>, d: number, prior: WeightPrior, iterations = 50): Float64Array {
  const n = y.length;
  if (x.length !== n * d) throw new RangeError(`expected ${n}·${d} features, got ${x.length}`);
  const logits = (w: Float64Array): Float64Array => {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) t[i] += x[i * d + k] * w[k];
    return t;
  };
  // The negative log posterior (up to a constant), in a form that does not overflow.
  const objective = (w: Float64Array): number => {
    const t = logits(w);
    let f = 0;
    for (let i = 0; i < n; i++) f += Math.max(t[i], 0) + Math.log1p(Math.exp(-Math.abs(t[i]))) - y[i] * t[i];
    for (let k = 0; k < d; k++) f += 0.5 * prior.precision[k] * (w[k] - prior.mean[k]) ** 2;
    return f;
  };
  let w = Float64Array.from(prior.mean);
  let fw = objective(w);
  for (let it = 0; it < iterations; it++) {
    const t = logits(w);
    const g = new Float64Array(d);
    const h = new Float64Array(d * d);
    for (let k = 0; k < d; k++) {
      g[k] = prior.precision[k] * (w[k] - prior.mean[k]);
      h[k * d + k] = prior.precision[k];
    }
    for (let i = 0; i < n; i++) {
      const p = sigmoid(t[i]);
      const r = p - y[i];
      const s = p * (1 - p);
      for (let k = 0; k < d; k++) {
        g[k] += r * x[i * d + k];
        for (let j = 0; j <= k; j++) h[k * d + j] += s * x[i * d + k] * x[i * d + j];
      }
    }
    for (let k = 0; k < d; k++) for (let j = 0; j < k; j++) h[j * d + k] = h[k * d + j];
    const step = choleskySolve(h, g, d);
    // Newton's full step can overshoot where the logistic saturates: halve it until the objective falls.
    let scale = 1;
    let next = w;
    let fNext = fw;
    for (let half = 0; half < 40; half++, scale /= 2) {
      const cand = Float64Array.from(w, (v, k) => v - scale * step[k]);
      const fc = objective(cand);
      if (fc <= fw) {
        next = cand;
        fNext = fc;
        break;
      }
    }
    const moved = Math.max(...Array.from(next, (v, k) => Math.abs(v - w[k])));
    w = next;
    fw = fNext;
    if (moved < 1e-10) break;
  }
  return w;
}
