import { describe, expect, it } from 'vitest';
import { lossPaths } from './loss-path';

describe('lossPaths', () => {
  it('maps steps to x over the width and losses to y (high loss at the top), per stage', () => {
    const r = lossPaths(
      [
        { stage: 'pretrain', epoch: 1, loss: 4, step: 1 },
        { stage: 'train', epoch: 1, loss: 2, step: 2 },
        { stage: 'train', epoch: 2, loss: NaN, step: 3 },
        { stage: 'fineTune', epoch: 1, loss: 0, step: 5 },
      ],
      100,
      50,
    );
    expect([r.lo, r.hi, r.steps]).toEqual([0, 4, 5]);
    expect(r.points).toEqual({ pretrain: '0,0', train: '25,25', fineTune: '100,50' });
  });

  it('a single point sits in the middle, and a flat curve gets a span', () => {
    const r = lossPaths([{ stage: 'train', epoch: 1, loss: 2, step: 1 }], 100, 50);
    expect([r.lo, r.hi]).toEqual([1.98, 2.02]);
    expect(r.points.train).toBe('50,25');
    expect(lossPaths([], 10, 10)).toMatchObject({ lo: 0, hi: 1, points: { train: '' } });
  });
});
