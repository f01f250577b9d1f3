import { describe, expect, it } from 'vitest';
import { alignLayout } from './align-layout';

const close = (a: Float32Array, b: number[]) => expect(Array.from(a)).toEqual(b.map((v) => expect.closeTo(v, 5)));

describe('alignLayout', () => {
  const prevIds = ['a', 'b', 'c', 'd'];
  const prev = Float32Array.from([0, 0, 1, 0, 1, 2, 0, 2]);

  it('undoes a rotation, a scale and a shift', () => {
    // prev rotated by 90°, halved and shifted by (5, 5): (x, y) → (5 − y/2, 5 + x/2).
    const moved = Float32Array.from([5, 5, 5, 5.5, 4, 5.5, 4, 5]);
    close(alignLayout(prevIds, moved, prevIds, prev), [0, 0, 1, 0, 1, 2, 0, 2]);
  });

  it('undoes a mirror, matches by id, and places new ids with the same transform', () => {
    // Mirrored in x (x → 3 − x), in another order, plus a new id 'e' at mirrored (0.5, 1).
    const ids = ['c', 'a', 'e', 'd', 'b'];
    const xy = Float32Array.from([2, 2, 3, 0, 2.5, 1, 3, 2, 2, 0]);
    close(alignLayout(ids, xy, prevIds, prev), [1, 2, 0, 0, 0.5, 1, 0, 2, 1, 0]);
  });

  it('leaves a layout with fewer than 3 shared ids as it is', () => {
    close(alignLayout(['a', 'x'], Float32Array.from([9, 9, 8, 8]), prevIds, prev), [9, 9, 8, 8]);
  });
});
