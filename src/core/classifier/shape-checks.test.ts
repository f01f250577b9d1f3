import { describe, expect, it } from 'vitest';
import { MAX_INPUT_SIDE, resolveInputShape } from './shape-checks';

describe('resolveInputShape', () => {
  it('takes image inputs and refuses absurd sizes before a warm-up allocates them', () => {
    expect(resolveInputShape([null, 32, 32, 3])).toEqual([32, 32, 3]);
    expect(resolveInputShape([null, MAX_INPUT_SIDE, 8, 1])).toEqual([MAX_INPUT_SIDE, 8, 1]);
    expect(() => resolveInputShape([null, 1e6, 1e6, 3])).toThrow('the model input 1000000×1000000 is too large: at most 4096 pixels a side');
    expect(() => resolveInputShape([null, 32, 32, 2])).toThrow(/1, 3 or 4 channels/);
  });
});
