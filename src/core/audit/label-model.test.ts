import { describe, expect, it } from 'vitest';
import { choleskySolve, fitLogistic } from './label-model';

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = (1, −2, 3) → b = A x = (0, −5, 7).
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const x = choleskySolve(a, Float64Array.from([0, -5, 7]), 3);
    expect(Array.from(x).map((v) => Number(v.toFixed(12)))).toEqual([1, -2, 3]);
  });
  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('fitLogistic', () => {
  it('returns the prior mean without data', () => {
    expect(Array.from(fitLogistic([], [], 3, { mean: [0.5, -1, 2], precision: [1, 1, 1] }))).toEqual([0.5, -1, 2]);
  });

  it('with an intercept alone and a negligible prior, is the log-odds of the labels', () => {
    // 3 of 10 anomalous → w = log(0.3 / 0.7).
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const w = fitLogistic(new Array(10).fill(1), y, 1, { mean: [0], precision: [1e-9] });
    expect(w[0]).toBeCloseTo(Math.log(3 / 7), 6);
  });

  it('with an intercept alone and a prior, solves the 1-D stationarity equation', () => {
    // d/dw: Σ(σ(w) − y) + λ(w − m) = 0 → 10σ(w) − 3 + 2(w − 1) = 0, solved by bisection here.
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const w = fitLogistic(new Array(10).fill(1), y, 1, { mean: [1], precision: [2] })[0];
    let lo = -10;
    let hi = 10;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (10 * sigmoid(mid) - 3 + 2 * (mid - 1) > 0) hi = mid;
      else lo = mid;
    }
    expect(w).toBeCloseTo(lo, 8);
  });

  it('agrees with plain gradient descent on a 3-feature problem', () => {
    const x: number[] = [];
    const y: number[] = [];
    let s = 7;
    const rnd = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
    for (let i = 0; i < 60; i++) {
      const f = [1, rnd(), rnd()];
      x.push(...f);
      y.push(sigmoid(0.3 + 4 * f[1] - 2 * f[2]) > rnd() + 0.5 ? 1 : 0);
    }
    const prior = { mean: [0, 1, 0], precision: [0.01, 0.5, 0.5] };
    const newton = fitLogistic(x, y, 3, prior);
    const w = Float64Array.from(prior.mean);
    for (let it = 0; it < 5000; it++) {
      const g = prior.mean.map((m, k) => prior.precision[k] * (w[k] - m));
      for (let i = 0; i < 60; i++) {
        const r = sigmoid(w[0] * x[i * 3] + w[1] * x[i * 3 + 1] + w[2] * x[i * 3 + 2]) - y[i];
        for (let k = 0; k < 3; k++) g[k] += r * x[i * 3 + k];
      }
      for (let k = 0; k < 3; k++) w[k] -= 0.1 * g[k];
    }
    for (let k = 0; k < 3; k++) expect(newton[k]).toBeCloseTo(w[k], 5);
    // The labels were drawn with a positive first and a negative second feature weight.
    expect(newton[1]).toBeGreaterThan(1);
    expect(newton[2]).toBeLessThan(0);
  });
});

describe('fitLogistic far from the prior', () => {
  it('converges where a full Newton step would overshoot (saturated logits, weak intercept prior)', () => {
    // 100 rows whose second feature pushes every logit to +3 at the start; 51 labels are 1.
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      x.push(1, 0.5);
      y.push(i < 51 ? 1 : 0);
    }
    const w = fitLogistic(x, y, 2, { mean: [0, 6], precision: [1e-3, 1e6] });
    // The intercept absorbs the offset: σ(w0 + 0.5·w1) = 0.51 (the feature weight held by its prior).
    expect(w[1]).toBeCloseTo(6, 3);
    expect(sigmoid(w[0] + 0.5 * w[1])).toBeCloseTo(0.51, 3);
  });
});
