import { describe, expect, it } from 'vitest';
import { histogramRects } from './ScoreHistogram';

describe('histogramRects', () => {
  it('stacks unlabeled, normal, anomalous from the bottom, scaled to the tallest bin', () => {
    const r = histogramRects(
      [
        { lo: 0, hi: 1, unlabeled: 2, normal: 1, anomalous: 1 },
        { lo: 1, hi: 2, unlabeled: 0, normal: 0, anomalous: 2 },
      ],
      100,
      40,
    );
    expect(r.map(({ key, x, y, width, height }) => [key, x, y, width, height])).toEqual([
      ['0-unlabeled', 0.5, 20, 49, 20],
      ['0-normal', 0.5, 10, 49, 10],
      ['0-anomalous', 0.5, 0, 49, 10],
      ['1-anomalous', 50.5, 20, 49, 20],
    ]);
    expect(r[3].title).toBe('2 anomalous, scores 1.00–2.00');
  });
});
