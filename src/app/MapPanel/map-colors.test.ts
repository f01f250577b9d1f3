import { describe, expect, it } from 'vitest';
import { pointColors, SCORE_BINS, scoreBin } from './map-colors';

const input = {
  scores: { a: 0, b: 5, c: 10 } as Record<string, number>,
  labels: { a: 'normal', c: 'anomalous' } as const,
  predicted: (id: string) => ({ a: 0, b: 1, c: 11 } as Record<string, number>)[id],
  classNames: ['good', 'broken'],
};

describe('map colours', () => {
  it('bins scores over the shown range; unscored points get the grey after the ramp', () => {
    expect(scoreBin(0, 0, 10)).toBe(0);
    expect(scoreBin(10, 0, 10)).toBe(SCORE_BINS - 1);
    expect(scoreBin(5, 0, 10)).toBe(SCORE_BINS / 2);
    expect(scoreBin(3, 3, 3)).toBe(SCORE_BINS / 2);
    const c = pointColors(['a', 'b', 'c', 'd'], 'score', input);
    expect(Array.from(c.index)).toEqual([0, SCORE_BINS / 2, SCORE_BINS - 1, SCORE_BINS]);
    expect(c.palette[0]).toBe('#000004'); // inferno's dark end
    expect(c.legend).toMatchObject({ kind: 'ramp', min: 0, max: 10 });
  });

  it('colours by label and by predicted class, with a legend', () => {
    const l = pointColors(['a', 'b', 'c'], 'label', input);
    expect(Array.from(l.index)).toEqual([1, 0, 2]);
    expect(l.legend).toEqual({ kind: 'swatches', items: [{ color: '#9aa0a6', text: 'unlabeled', index: 0 }, { color: '#2e7d32', text: 'normal', index: 1 }, { color: '#d32f2f', text: 'anomalous', index: 2 }] });
    const p = pointColors(['a', 'b', 'c', 'x'], 'predicted', input);
    expect(Array.from(p.index)).toEqual([0, 1, 1, 10]); // class 11 wraps onto the 10-colour palette; x has no prediction
    expect(p.legend.kind === 'swatches' && p.legend.items.map((i) => i.text)).toEqual(['good', 'broken']);
  });

  it('colours by review flag and by misclassification', () => {
    const f = pointColors(['a', 'b', 'c'], 'flagged', { ...input, flagged: new Set(['c']) });
    expect(Array.from(f.index)).toEqual([0, 0, 1]);
    expect(f.legend.kind === 'swatches' && f.legend.items.map((i) => i.text)).toEqual(['not flagged', 'flagged for review']);
    const m = pointColors(['a', 'b', 'c'], 'misclassified', { ...input, misclassified: (id) => id === 'b' });
    expect(Array.from(m.index)).toEqual([0, 1, 0]);
  });
});
