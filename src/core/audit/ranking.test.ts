import { describe, expect, it } from 'vitest';
import { fractionalRanks } from '../metrics/ranks';
import { fitLogistic } from './label-model';
import { centerDistances, describeRankingModel, fitRankingModel, labelVotes, MAX_CLASS_OFFSETS, rankImages, scoreWith } from './ranking';
import { percentileOf, reviewFlags } from './flags';

describe('fractionalRanks', () => {
  it('ranks finite values in [0, 1] with mean ranks on ties and NaN for the rest', () => {
    expect(Array.from(fractionalRanks([3, 1, 3, 2]))).toEqual([5 / 6, 0, 5 / 6, 1 / 3].map((v) => expect.closeTo(v, 6)));
    const r = fractionalRanks([NaN, 5, 1, Infinity]);
    expect(Number.isNaN(r[0]) && Number.isNaN(r[3])).toBe(true);
    expect([r[1], r[2]]).toEqual([1, 0]);
    expect(Array.from(fractionalRanks([7]))).toEqual([0.5]);
  });
});

describe('label votes', () => {
  // Four images in 2-D embedding space, c = (0, 0): distances² 1, 4, 1, 0.25 → median (sorted [0.25,1,1,4], index 2) = 1.
  const m = { embeddings: Float32Array.from([1, 0, 2, 0, 0, 1, 0.5, 0]), c: Float32Array.from([0, 0]) };
  it('measures distances to c', () => {
    expect(Array.from(centerDistances(m, 4))).toEqual([1, 4, 1, 0.25]);
  });
  it('is max kernel to labeled anomalies minus max kernel to labeled normals, never to itself', () => {
    // image 1 anomalous, image 2 normal, bandwidth 1 → h² = 1.
    const labels = [0, -1, 1, 0];
    const v = labelVotes(m, 4, labels, 1);
    const k = (d2: number) => Math.exp(-d2);
    expect(v[0]).toBeCloseTo(k(1) - k(2), 6); // to 1: (1,0)-(2,0) = 1; to 2: (1,0)-(0,1) = 2
    expect(v[1]).toBeCloseTo(0 - k(5), 6); // no other anomaly; to normal (0,1): 4 + 1 = 5
    expect(v[2]).toBeCloseTo(k(5) - 0, 6); // no other normal
    expect(v[3]).toBeCloseTo(k(2.25) - k(1.25), 6);
    expect(Array.from(labelVotes(m, 4, [0, 0, 0, 0], 1))).toEqual([0, 0, 0, 0]);
  });
  it('combines mean distance ranks, votes and the confidence rank', () => {
    const labels = [0, -1, 1, 0];
    const r = rankImages([m, m], 4, labels, { deepsad: 1, vote: 0.5, bandwidth: 1, confidence: 0.25, learn: null }, [0.1, 0.2, 0.3, 0.4]);
    const dr = fractionalRanks([1, 4, 1, 0.25]);
    const v = labelVotes(m, 4, labels, 1);
    const cr = fractionalRanks([0.1, 0.2, 0.3, 0.4]);
    for (let i = 0; i < 4; i++) expect(r.score[i]).toBeCloseTo(dr[i] - 0.5 + 0.5 * v[i] + 0.25 * (cr[i] - 0.5), 6);
    expect(Array.from(r.deepsad)).toEqual(Array.from(dr));
  });
});

describe('the learnt ranking', () => {
  // Eight images: Deep SAD rank, vote, unconfidence rank, predicted class; labels on the first five.
  const signals = {
    deepsad: [0.9, 0.1, 0.8, 0.3, 0.6, 0.5, 0.2, 0.7],
    vote: [0.2, -0.1, 0.4, 0, -0.3, 0.1, 0, 0.3],
    unconfidence: [0.2, 0.9, 0.1, 0.7, 0.5, 0.4, 0.6, 0.3],
    predicted: [1, 0, 1, 0, 2, 1, 0, 2],
  };
  const labels = [-1, 1, -1, 1, 1, 0, 0, 0];
  const w = { deepsad: 3, vote: 2, bandwidth: 0.25, confidence: 6, learn: null };

  it('without learning is the fixed weighted sum', () => {
    const m = fitRankingModel(signals, labels, w);
    const s = scoreWith(m, signals, 8);
    for (let i = 0; i < 8; i++) expect(s[i]).toBeCloseTo(3 * (signals.deepsad[i] - 0.5) + 6 * (signals.unconfidence[i] - 0.5) + 2 * signals.vote[i], 5);
  });

  it('without labels is the prior (the fixed weights)', () => {
    const m = fitRankingModel(signals, new Array(8).fill(0), { ...w, learn: { precision: 1, byClass: true } });
    expect(Array.from(m.weights)).toEqual([0, 3, 6, 2, 0, 0, 0]);
  });

  it('fits the labeled images by MAP logistic regression on [1, d − ½, u − ½, v, one-hot class]', () => {
    const m = fitRankingModel(signals, labels, { ...w, learn: { precision: 0.5, byClass: true } });
    const x: number[] = [];
    for (let i = 0; i < 5; i++) x.push(1, signals.deepsad[i] - 0.5, signals.unconfidence[i] - 0.5, signals.vote[i], ...[0, 1, 2].map((c) => (signals.predicted[i] === c ? 1 : 0)));
    const ref = fitLogistic(x, [1, 0, 1, 0, 0], 7, { mean: [0, 3, 6, 2, 0, 0, 0], precision: [1e-3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5] });
    expect(m.classes).toBe(3);
    Array.from(ref).forEach((r, k) => expect(m.weights[k]).toBeCloseTo(r, 8));
    // Both labeled anomalies were predicted class 1: its offset rises above the others'.
    expect(m.weights[5]).toBeGreaterThan(m.weights[4]);
    expect(m.weights[5]).toBeGreaterThan(m.weights[6]);
  });

  it('moves an unlabeled image of the class the analyst found errors in above an otherwise equal one', () => {
    const same = { deepsad: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], vote: [0, 0, 0, 0, 0, 0], unconfidence: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], predicted: [1, 1, 0, 0, 1, 0] };
    const lab = [-1, -1, 1, 1, 0, 0];
    const m = fitRankingModel(same, lab, { ...w, learn: { precision: 1, byClass: true } });
    const s = scoreWith(m, same, 6);
    expect(s[4]).toBeGreaterThan(s[5]);
    // Without class offsets the two stay tied.
    const flat = scoreWith(fitRankingModel(same, lab, { ...w, learn: { precision: 1, byClass: false } }), same, 6);
    expect(flat[4]).toBe(flat[5]);
  });

  it('gives models with many classes no class offsets, and unknown classes and confidences no say', () => {
    const many = { ...signals, predicted: signals.predicted.map((p, i) => (i === 0 ? MAX_CLASS_OFFSETS : p)) };
    expect(fitRankingModel(many, labels, { ...w, learn: { precision: 1, byClass: true } }).classes).toBe(0);
    const unknown = { ...signals, unconfidence: new Array(8).fill(NaN), predicted: new Array(8).fill(-1) };
    const m = fitRankingModel(unknown, labels, { ...w, learn: { precision: 1, byClass: true } });
    const s = scoreWith(m, unknown, 8);
    expect(s.every(Number.isFinite)).toBe(true);
    expect(s[0]).toBeCloseTo(m.weights[0] + m.weights[1] * 0.4 + m.weights[3] * 0.2, 6);
  });
});

describe('review flags', () => {
  it('flags labeled anomalies, never labeled normals, and the budget of the unlabeled scored images', () => {
    // 100 unlabeled scored images 0..99, plus one labeled anomaly (score 0), one labeled normal (score 1000), one unscored.
    const scores = [...Array.from({ length: 100 }, (_, i) => i), 0, 1000, NaN];
    const labels = [...new Array(100).fill(0), -1, 1, 0];
    const f = reviewFlags(scores, labels, 0.07);
    expect(f.nCandidates).toBe(100);
    expect(f.nFlaggedByScore).toBe(7); // 7% of 100 is 7, not 8
    expect(f.threshold).toBe(93);
    expect(f.flagged[100]).toBe(1);
    expect(f.flagged[101]).toBe(0);
    expect(f.flagged[102]).toBe(0);
  });
  it('flags every tie at the cut-off', () => {
    const f = reviewFlags([5, 5, 5, 1], [0, 0, 0, 0], 0.25);
    expect(f.nFlaggedByScore).toBe(3);
  });
  it('places a score among reference scores', () => {
    expect(percentileOf(2, [1, 2, 3, 4])).toBeCloseTo(1.5 / 4, 10);
    expect(percentileOf(9, [1, 2])).toBe(1);
    expect(percentileOf(NaN, [1])).toBeNaN();
  });
});

describe('describeRankingModel', () => {
  it('says the weights, and the class offsets against their mean, best first', () => {
    const m = { weights: Float64Array.from([-2, 3.4, 6.1, 2, -0.6, 0.9, -0.3]), classes: 3, nLabels: 20 };
    expect(describeRankingModel(m, ['good', 'broken', 'flashover'])).toBe("The ranking weighs the classifier's unconfidence 6.1, Deep SAD 3.4, likeness to your labels 2.0; predicted broken +0.9, flashover −0.3, good −0.6 (learnt from 20 labels).");
    expect(describeRankingModel({ weights: Float64Array.from([0, 1, 0, 0]), classes: 0, nLabels: 0 })).toBe("The ranking weighs the classifier's unconfidence 0.0, Deep SAD 1.0, likeness to your labels 0.0 (the starting weights: no labels yet).");
  });
});
