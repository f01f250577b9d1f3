import { describe, expect, it } from 'vitest';
import { ensembleScores, memberSeed } from './ensemble';
import { parseSpec, specName, SpecError } from './spec';

describe('Deep SAD ensemble scores', () => {
  it('averages the members\' fractional ranks', () => {
    // member a ranks: [0, 1/3, 2/3, 1]; member b (scale ×1000, order 3 2 0 1): [2/3, 1, 1/3, 0]
    const a = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
    const b = Float32Array.from([3000, 4000, 2000, 1000]);
    expect(Array.from(ensembleScores([a, b]))).toEqual([1 / 3, 2 / 3, 1 / 2, 1 / 2].map((v) => expect.closeTo(v, 6)));
    // a far outlier in one member does not swamp the other (it would with z-scores)
    const c = Float32Array.from([0, 0, 0, 1e6]);
    const d = Float32Array.from([4, 3, 2, 1]);
    // c ranks: ties share (0+1+2)/2/3 = 1/3, then 1; d ranks: [1, 2/3, 1/3, 0]
    expect(Array.from(ensembleScores([c, d]))).toEqual([2 / 3, 1 / 2, 1 / 3, 1 / 2].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(ensembleScores([b]))).toEqual([2 / 3, 1, 1 / 3, 0].map((v) => expect.closeTo(v, 6)));
    expect(() => ensembleScores([])).toThrow(/at least one/);
    expect(() => ensembleScores([a, Float32Array.from([1])])).toThrow(/different numbers/);
    expect([0, 1, 2].map((j) => memberSeed(1001, j))).toEqual([1001, 1101, 1201]);
  });
});

describe('Deep SAD setting grammar', () => {
  it('parses INPUT:ETA[:nopretrain][:ensE] and writes it back', () => {
    expect(parseSpec('heatmap:5')).toEqual({ input: 'heatmap', eta: 5, pretrain: true, ensemble: 1 });
    expect(parseSpec('heatmap')).toEqual({ input: 'heatmap', eta: 1, pretrain: true, ensemble: 1 });
    expect(parseSpec('heatmap:5:ens3')).toEqual({ input: 'heatmap', eta: 5, pretrain: true, ensemble: 3 });
    expect(parseSpec('heatmap-image:2.5:nopretrain')).toEqual({ input: 'heatmap-image', eta: 2.5, pretrain: false, ensemble: 1 });
    expect(parseSpec('heatmap:5:ens3:nopretrain')).toEqual(parseSpec('heatmap:5:nopretrain:ens3'));
    for (const t of ['heatmap:5', 'heatmap:5:ens3', 'heatmap:5:nopretrain', 'heatmap:10:nopretrain:ens5']) expect(specName(parseSpec(t))).toBe(t);
    expect(specName(parseSpec('heatmap:5:ens1'))).toBe('heatmap:5');
  });

  it('rejects malformed settings with a SpecError', () => {
    for (const bad of ['image:5', 'heatmap:0', 'heatmap:x', 'heatmap:5:ens0', 'heatmap:5:ens', 'heatmap:5:pretrain', 'heatmap:5:ens3:ens5', 'heatmap:5:nopretrain:nopretrain']) {
      expect(() => parseSpec(bad), bad).toThrow(SpecError);
    }
  });
});
