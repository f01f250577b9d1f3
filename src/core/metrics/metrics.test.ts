import { describe, expect, it } from 'vitest';
import { averagePrecision, bestF1Threshold, budgetThreshold, f1AtThreshold, histogram, MetricsError, prCurve, rocAuc, rocCurve } from './index';

// The example of sklearn's docs for roc_auc_score / roc_curve / average_precision_score / precision_recall_curve.
const Y = [0, 0, 1, 1];
const S = [0.1, 0.4, 0.35, 0.8];

/** A seeded LCG, so the randomised cross-checks are reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('ROC', () => {
  it('matches sklearn on its documented example', () => {
    expect(rocAuc(S, Y)).toBeCloseTo(0.75, 12);
    const c = rocCurve(S, Y);
    expect(c.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(c.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(c.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('counts tied scores as one half (midranks)', () => {
    expect(rocAuc([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([3, 3, 3, 3], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
    // Tied scores merge into one diagonal ROC segment.
    expect(rocCurve([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1]).fpr).toEqual([0, 0, 0.5, 1]);
  });

  it('equals the pairwise count and the trapezoid area on random tied data', () => {
    const rnd = lcg(7);
    const scores = Array.from({ length: 300 }, () => Math.floor(rnd() * 20) / 4);
    const labels = scores.map((s) => (rnd() < s / 5 ? 1 : 0));
    const auc = rocAuc(scores, labels);
    expect(auc).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    const { fpr, tpr } = rocCurve(scores, labels);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
    expect(auc).toBeCloseTo(area, 12);
    expect(auc).toBeGreaterThan(0.7);
  });

  it('is NaN with one class, and does not mutate its input', () => {
    const s = Float32Array.from([0.3, 0.1, 0.2]);
    expect(rocAuc(s, [0, 0, 0])).toBeNaN();
    expect(rocAuc(s, [1, 1, 1])).toBeNaN();
    expect(rocCurve(s, [0, 0, 0]).tpr[1]).toBeNaN();
    expect(Array.from(s)).toEqual(Array.from(Float32Array.from([0.3, 0.1, 0.2])));
  });

  it('rejects bad input with typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(MetricsError);
        return (e as MetricsError).code;
      }
      return 'no error';
    };
    expect(code(() => rocAuc([1, 2], [0]))).toBe('length-mismatch');
    expect(code(() => rocAuc([], []))).toBe('empty');
    expect(code(() => rocAuc([1, 2], [0, 2]))).toBe('bad-label');
    expect(code(() => averagePrecision([1, NaN], [0, 1]))).toBe('bad-score');
    expect(code(() => budgetThreshold([1, 2], 1.5))).toBe('bad-argument');
    expect(code(() => bestF1Threshold([1, 2], [0, 0]))).toBe('no-positives');
    expect(code(() => histogram([1], 0))).toBe('bad-argument');
  });
});

describe('precision-recall', () => {
  it('matches sklearn on its documented example', () => {
    expect(averagePrecision(S, Y)).toBeCloseTo(0.8333333333, 9);
    const c = prCurve(S, Y);
    expect(c.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(c.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    [0.5, 2 / 3, 0.5, 1, 1].forEach((p, i) => expect(c.precision[i]).toBeCloseTo(p, 12));
  });

  it('uses the step-wise definition (no interpolation), with ties as one step', () => {
    // Hand-computed: 1/3·(1 + 2/3 + 3/5).
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 1])).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12);
    // The tie at 0.5 (one positive, one negative) is one step at precision 2/3: ½·1 + ½·⅔.
    expect(averagePrecision([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
    expect(averagePrecision([2, 2, 2, 2], [0, 1, 0, 0])).toBeCloseTo(0.25, 12);
  });

  it('is NaN without positives and 1 without negatives', () => {
    expect(averagePrecision([1, 2], [0, 0])).toBeNaN();
    expect(averagePrecision([1, 2], [1, 1])).toBe(1);
  });
});

describe('thresholds', () => {
  it('computes F1 and the confusion counts at a threshold (score ≥ threshold is flagged)', () => {
    const r = f1AtThreshold(S, Y, 0.35);
    expect(r).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1, flagged: 3, recall: 1 });
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.f1).toBeCloseTo(0.8, 12);
    expect(f1AtThreshold(S, Y, 5)).toMatchObject({ f1: 0, precision: 0, recall: 0, flagged: 0, fn: 2, tn: 2 });
  });

  it('finds the best-F1 threshold among the scores', () => {
    // F1 at 0.8, 0.4, 0.35, 0.1 = 2/3, 1/2, 4/5, 2/3.
    const r = bestF1Threshold(S, Y);
    expect(r.threshold).toBe(0.35);
    expect(r.f1).toBeCloseTo(0.8, 12);
    // Equal F1 → the highest threshold (fewest flags).
    expect(bestF1Threshold([1, 2, 3, 4], [1, 0, 0, 1]).threshold).toBe(4);
  });

  it('flags the top ceil(fraction·n) for a budget, ties included', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i);
    expect(budgetThreshold(scores, 0.15)).toBe(85);
    expect(budgetThreshold(scores, 0.155)).toBe(84);
    expect(budgetThreshold(scores, 0)).toBe(Infinity);
    expect(budgetThreshold(scores, 1)).toBe(0);
    expect(budgetThreshold(Array.from({ length: 101 }, (_, i) => i), 0.15)).toBe(85);
    const tied = [1, 2, 2, 2, 3];
    const t = budgetThreshold(tied, 0.4);
    expect(t).toBe(2);
    expect(tied.filter((s) => s >= t)).toHaveLength(4);
  });
});

describe('histogram', () => {
  it('matches numpy.histogram', () => {
    expect(histogram([1, 2, 1], 2)).toEqual({ counts: [2, 1], edges: [1, 1.5, 2] });
    expect(histogram([0, 1, 2, 3], 3, [0, 3])).toEqual({ counts: [1, 1, 2], edges: [0, 1, 2, 3] });
    expect(histogram([-1, 0.5, 4, NaN], 2, [0, 2]).counts).toEqual([1, 0]);
    expect(histogram([5, 5], 2)).toEqual({ counts: [0, 2], edges: [4.5, 5, 5.5] });
  });

  it('puts values on float-rounded edges in the bin the edges say', () => {
    const h = histogram([0.1, 0.2, 0.3, 0.7], 10, [0, 1]);
    // Edges are i·0.1 as numpy's linspace makes them: edges[3] = 0.30000000000000004 > 0.3 and
    // edges[7] = 0.7000000000000001 > 0.7, so 0.3 falls in bin 2 and 0.7 in bin 6, as in numpy.
    expect(h.edges[3]).toBe(3 * 0.1);
    expect(h.counts).toEqual([0, 1, 2, 0, 0, 0, 1, 0, 0, 0]);
    expect(h.counts.reduce((a, b) => a + b)).toBe(4);
  });
});
