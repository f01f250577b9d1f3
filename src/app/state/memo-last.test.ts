import { describe, expect, it } from 'vitest';
import { memoLast } from './memo-last';

describe('memoLast', () => {
  it('recomputes only when an argument changes identity', () => {
    let calls = 0;
    const f = memoLast((a: number[], k: number) => {
      calls++;
      return a.map((x) => x * k);
    });
    const a = [1, 2];
    const r1 = f(a, 2);
    expect(r1).toEqual([2, 4]);
    expect(f(a, 2)).toBe(r1);
    expect(calls).toBe(1);
    expect(f([1, 2], 2)).toEqual([2, 4]); // equal but not identical: recomputed
    expect(calls).toBe(2);
    expect(f([1, 2], 3)).toEqual([3, 6]);
    expect(calls).toBe(3);
    expect(f(a, NaN)).toEqual([NaN, NaN]);
    expect(f(a, NaN)).toEqual([NaN, NaN]); // Object.is(NaN, NaN): cached
    expect(calls).toBe(4);
  });
});
