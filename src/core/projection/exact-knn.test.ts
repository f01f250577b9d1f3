import { describe, expect, it } from 'vitest';
import { exactKnn } from './exact-knn';

describe('exactKnn', () => {
  it('lists each point first, then its neighbours by ascending distance', () => {
    // 1-D points 0, 1, 3, 7.
    const p = Float32Array.from([0, 1, 3, 7]);
    expect(exactKnn(p, 1, 3, 0, 4)).toEqual({
      indices: [[0, 1, 2], [1, 0, 2], [2, 1, 0], [3, 2, 1]],
      distances: [[0, 1, 3], [0, 1, 2], [0, 2, 3], [0, 4, 6]],
    });
    expect(exactKnn(p, 1, 9, 2, 3)).toEqual({ indices: [[2, 1, 0, 3]], distances: [[0, 2, 3, 4]] });
  });

  it('puts the point itself first next to a duplicate', () => {
    expect(exactKnn(Float32Array.from([5, 5, 5, 5]), 2, 2, 1, 2).indices).toEqual([[1, 0]]);
  });
});
