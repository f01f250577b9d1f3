import { describe, expect, it } from 'vitest';
import { deepSadFlags, flagsOf, galleryOrder, type DeriveInput } from './derive';
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
  return { imageIds, images, explanations, labels: { s8: 'anomalous', s1: 'normal' }, scores, budget: 0.25, nextIds: ['s4', 's8', 's2'] };
}

describe('flags at the review budget', () => {
  it('the budget covers the unlabeled scored images; a labeled anomaly is flagged, a labeled normal never', () => {
    const s = input();
    // 8 unlabeled (s0, s2…s7, s9): ⌈0.25·8⌉ = 2 → s9, s7; plus s8 (labeled anomalous).
    const d = deepSadFlags(s);
    expect([...d.flags].sort()).toEqual(['s7', 's8', 's9']);
    expect(d.threshold).toBe(7);
    expect(d.fraction).toBe(2 / 8);
    expect(deepSadFlags({ ...s, labels: { s9: 'normal' } }).flags.has('s9')).toBe(false);
  });

  it('the baselines flag the same fraction of the unlabeled images', () => {
    const f = flagsOf(input());
    // confidence: least confident first among the unlabeled (s9, s7); faithfulness: highest deletion score, NaN never flags (s7, s6).
    expect([...f.confidence].sort()).toEqual(['s7', 's9']);
    expect([...f.faithfulness].sort()).toEqual(['s6', 's7']);
  });

  it('nothing is flagged by score before there are scores, and unscored images are not counted', () => {
    const d = deepSadFlags({ ...input(), scores: {} });
    expect([...d.flags]).toEqual(['s8']);
    expect(d.threshold).toBeNull();
    const half = deepSadFlags({ ...input(), scores: { s0: 1, s2: 5, s3: 2, s4: 3 } });
    expect(half.nCandidates).toBe(4);
    expect([...half.flags].sort()).toEqual(['s2', 's8']); // ⌈0.25·4⌉ = 1
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

  it('filters: unlabeled, flagged, label-next (its own order, labeled ones dropped), by label, misclassified, predicted class', () => {
    const s = input();
    const flagged = flagsOf(s).deepsad;
    expect(galleryOrder(s, 'score', true, 'unlabeled', flagged)).toHaveLength(8);
    expect(galleryOrder(s, 'score', true, 'flagged', flagged)).toEqual(['s9', 's8', 's7']);
    expect(galleryOrder(s, 'score', true, 'next', flagged)).toEqual(['s4', 's2']);
    expect(galleryOrder(s, 'score', true, 'anomalous', flagged)).toEqual(['s8']);
    // truth = i mod 2, every prediction is 0: the odd ones are misclassified.
    expect(galleryOrder(s, 'name', false, 'misclassified', flagged)).toEqual(['s1', 's3', 's5', 's7', 's9']);
    expect(galleryOrder(s, 'score', true, 'class:1', flagged)).toEqual([]);
  });

  it('selection: exactly the ids picked on the map, in the gallery\'s sort order', () => {
    const s = input();
    const flagged = flagsOf(s).deepsad;
    expect(galleryOrder({ ...s, mapSelection: ['s2', 's7', 's5'] }, 'score', true, 'selection', flagged)).toEqual(['s7', 's5', 's2']);
    expect(galleryOrder({ ...s, mapSelection: [] }, 'score', true, 'selection', flagged)).toEqual([]);
    expect(galleryOrder(s, 'score', true, 'selection', flagged)).toEqual([]);
  });
});
