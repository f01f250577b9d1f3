import { describe, expect, it } from 'vitest';
import { normaliseLayout, placeByNeighbours } from './knn-place';

describe('placeByNeighbours', () => {
  it('copies sampled points and puts the others at the inverse-distance mean of their k nearest sampled points', () => {
    // 1-D points 0, 10, 1, 9; sample = {0, 1} (values 0 and 10) laid out at (0,0) and (1,1).
    const data = Float32Array.from([0, 10, 1, 9]);
    const out = new Float32Array(8);
    placeByNeighbours(data, 1, [0, 1], Float32Array.from([0, 0, 1, 1]), 1, out);
    expect(Array.from(out)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    // k = 2: value 1 is 1 from the first and 9 from the second: weights 1 and 1/9 → x = (1/9)/(10/9) = 0.1.
    placeByNeighbours(data, 1, [0, 1], Float32Array.from([0, 0, 1, 1]), 2, out);
    expect(out[4]).toBeCloseTo(0.1, 6);
    expect(out[6]).toBeCloseTo(0.9, 6);
  });

  it('only writes the rows asked for', () => {
    const out = new Float32Array(6).fill(-1);
    placeByNeighbours(Float32Array.from([0, 1, 2]), 1, [0], Float32Array.from([0.5, 0.5]), 3, out, 1, 2);
    expect(Array.from(out)).toEqual([-1, -1, 0.5, 0.5, -1, -1]);
  });
});

describe('normaliseLayout', () => {
  it('fills [0,1]² keeping the aspect, centred', () => {
    expect(Array.from(normaliseLayout(Float32Array.from([0, 0, 4, 2])))).toEqual([0, 0.25, 1, 0.75]);
    expect(Array.from(normaliseLayout(Float32Array.from([3, 3])))).toEqual([0.5, 0.5]);
  });
});
