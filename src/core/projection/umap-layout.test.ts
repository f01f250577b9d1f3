import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { umapLayout } from './umap-layout';

/** n points in `dim` dimensions around two far-apart centres: even rows near 0, odd rows near 10. */
function twoClusters(n: number, dim: number): Float32Array {
  const rng = createRng(7);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] = (i % 2) * 10 + rng();
  return x;
}

function meanOf(xy: Float32Array, odd: number): [number, number] {
  let sx = 0;
  let sy = 0;
  let c = 0;
  for (let i = odd; i < xy.length / 2; i += 2) {
    sx += xy[i * 2];
    sy += xy[i * 2 + 1];
    c++;
  }
  return [sx / c, sy / c];
}

/** Mean distance of each point to its cluster's centre, over the distance between the two centres. */
function spreadRatio(xy: Float32Array): number {
  const c = [meanOf(xy, 0), meanOf(xy, 1)];
  let d = 0;
  for (let i = 0; i < xy.length / 2; i++) d += Math.hypot(xy[i * 2] - c[i % 2][0], xy[i * 2 + 1] - c[i % 2][1]);
  return d / (xy.length / 2) / Math.hypot(c[0][0] - c[1][0], c[0][1] - c[1][1]);
}

describe('umapLayout', () => {
  it('keeps two clusters apart, inside [0,1]², reproducibly', async () => {
    const x = twoClusters(80, 8);
    const a = (await umapLayout(x, 8, { nEpochs: 60 }))!;
    expect(a).toHaveLength(160);
    expect(a.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    expect(spreadRatio(a)).toBeLessThan(0.3);
    expect(Array.from((await umapLayout(x, 8, { nEpochs: 60 }))!)).toEqual(Array.from(a));
  });

  it('fits a sample and places the rest among their neighbours', async () => {
    const x = twoClusters(300, 4);
    const a = (await umapLayout(x, 4, { maxFit: 60, nEpochs: 60 }))!;
    expect(a.every(Number.isFinite)).toBe(true);
    expect(spreadRatio(a)).toBeLessThan(0.3);
  });

  it('handles tiny inputs and stops on abort', async () => {
    expect(Array.from((await umapLayout(new Float32Array(0), 4))!)).toEqual([]);
    expect(Array.from((await umapLayout(Float32Array.from([1, 2]), 2))!)).toEqual([0.5, 0.5]);
    const five = (await umapLayout(twoClusters(5, 3), 3, { nEpochs: 20 }))!;
    expect(five.every(Number.isFinite)).toBe(true);
    const ctl = new AbortController();
    ctl.abort();
    expect(await umapLayout(twoClusters(40, 3), 3, { signal: ctl.signal, nEpochs: 20 })).toBeNull();
  });
});
