import { describe, expect, it } from 'vitest';
import { effectiveThreshold, flagsOf, galleryOrder, topByBudget, type DeriveInput } from './derive';
import type { Explanation } from './types';

function expl(predicted: number, probs: number[], faithfulness: number): Explanation {
  return { predicted, target: predicted, probs: Float32Array.from(probs), heatmap: new Uint8Array(4), faithfulness };
}

// Ten images: scores 0..9 (id i has score i), confidence falls with i, faithfulness rises with i but is NaN for s9.
function input(): DeriveInput {
  const imageIds = Array.from({ length: 10 }, (_, i) => `s${i}`);
  const images = Object.fromEntries(imageIds.map((id, i) => [id, { id, name: id, width: 1, height: 1, truth: i % 2, thumb: new Blob([]) }]));
  const explanations = Object.fromEntries(imageIds.map((id, i) => [id, expl(0, [1 - i / 20, i / 20], i === 9 ? NaN : i / 10)]));
  const scores = Object.fromEntries(imageIds.map((id, i) => [id, i]));
  return { imageIds, images, explanations, labels: { s8: 'anomalous', s1: 'normal' }, scores, budget: 0.2, threshold: null };
}

describe('flags at the review budget', () => {
  it('Deep SAD flags the top ⌈budget·n⌉ scores; the threshold is the lowest flagged score', () => {
    const s = input();
    expect(effectiveThreshold(s)).toBe(8);
    expect([...flagsOf(s).deepsad].sort()).toEqual(['s8', 's9']);
    expect(effectiveThreshold({ ...s, budget: 0.25 })).toBe(7); // ⌈2.5⌉ = 3 flagged
  });

  it('an explicit threshold wins over the budget, and the baselines flag as many', () => {
    const f = flagsOf({ ...input(), threshold: 6.5 });
    expect([...f.deepsad].sort()).toEqual(['s7', 's8', 's9']);
    // confidence: least confident first (s9, s8, s7); faithfulness: highest deletion score, NaN never flags.
    expect([...f.confidence].sort()).toEqual(['s7', 's8', 's9']);
    expect([...f.faithfulness].sort()).toEqual(['s6', 's7', 's8']);
  });

  it('nothing is flagged before there are scores', () => {
    expect(flagsOf({ ...input(), scores: {} }).deepsad.size).toBe(0);
    expect(topByBudget(['a', 'b'], () => NaN, 1).size).toBe(0);
  });
});

describe('galleryOrder', () => {
  it('sorts by score descending, and ascending on request; ties keep ingest order', () => {
    const s = input();
    const flagged = flagsOf(s).deepsad;
    expect(galleryOrder(s, 'score', true, 'all', flagged).slice(0, 3)).toEqual(['s9', 's8', 's7']);
    expect(galleryOrder(s, 'score', false, 'all', flagged).slice(0, 3)).toEqual(['s0', 's1', 's2']);
    const tied = { ...s, scores: Object.fromEntries(s.imageIds.map((id) => [id, 1])) };
    expect(galleryOrder(tied, 'score', true, 'all', flagged)).toEqual(s.imageIds);
  });

  it('filters: unlabeled, flagged, by label, misclassified, predicted class', () => {
    const s = input();
    const flagged = flagsOf(s).deepsad;
    expect(galleryOrder(s, 'score', true, 'unlabeled', flagged)).toHaveLength(8);
    expect(galleryOrder(s, 'score', true, 'flagged', flagged)).toEqual(['s9', 's8']);
    expect(galleryOrder(s, 'score', true, 'anomalous', flagged)).toEqual(['s8']);
    // truth = i mod 2, every prediction is 0: the odd ones are misclassified.
    expect(galleryOrder(s, 'name', false, 'misclassified', flagged)).toEqual(['s1', 's3', 's5', 's7', 's9']);
    expect(galleryOrder(s, 'score', true, 'class:1', flagged)).toEqual([]);
  });
});
