import { describe, expect, it } from 'vitest';
import { labelCurves, scoreHistogram } from './audit-stats';

describe('audit panel numbers', () => {
  // Scores 0, 1, …, 9 for ids i0…i9; i9 anomalous, i0 normal; i5 has no score.
  const ids = Array.from({ length: 10 }, (_, i) => `i${i}`);
  const scores = Object.fromEntries(ids.filter((id) => id !== 'i5').map((id) => [id, Number(id.slice(1))]));
  const labels = { i9: 'anomalous', i0: 'normal' } as const;

  it('bins scored images by label; edges span min…max', () => {
    const h = scoreHistogram(ids, scores, labels, 3);
    expect(h.map((b) => [b.lo, b.hi])).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
    ]);
    // [0,3): 0,1,2 · [3,6): 3,4 (5 unscored) · [6,9]: 6,7,8,9 (last bin closed)
    expect(h.map((b) => [b.normal, b.anomalous, b.unlabeled])).toEqual([
      [1, 0, 2],
      [0, 0, 2],
      [0, 1, 3],
    ]);
  });

  it('curves on held-out labels need both kinds; a perfect ranking has AUC 1, one swapped pair less', () => {
    expect(labelCurves([{ id: 'a', label: 'anomalous', percentile: 0.9 }])).toBeNull();
    const perfect = labelCurves([
      { id: 'a', label: 'anomalous', percentile: 0.9 },
      { id: 'b', label: 'normal', percentile: 0.2 },
    ])!;
    expect([perfect.auc, perfect.ap]).toEqual([1, 1]);
    const mixed = labelCurves([
      { id: 'a', label: 'anomalous', percentile: 0.9 },
      { id: 'b', label: 'anomalous', percentile: 0.1 },
      { id: 'c', label: 'normal', percentile: 0.5 },
      { id: 'd', label: 'normal', percentile: NaN },
    ])!;
    expect(mixed.auc).toBeCloseTo(0.5, 10); // pairs (a, c) right, (b, c) wrong
  });
});
