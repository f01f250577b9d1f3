import { describe, expect, it } from 'vitest';
import { trainingData } from './deepsad.shared';
import { state } from './worker-state';

function seed(n: number): void {
  state.heatmapSize = [2, 2];
  state.ids = Array.from({ length: n }, (_, i) => `i${i}`);
  state.heatmaps = new Map(state.ids.map((id, i) => [id, Float32Array.of(i, i, i, i)]));
}

describe('trainingData', () => {
  it('stacks every heatmap in ingest order with labels as semi-targets (+1 normal, −1 anomalous, 0 unlabeled)', () => {
    seed(4);
    const { ids, data } = trainingData({ ids: ['i2', 'i0'], targets: Int8Array.of(-1, 1) });
    expect(ids).toEqual(['i0', 'i1', 'i2', 'i3']);
    expect(data.n).toBe(4);
    expect(Array.from(data.semiTargets)).toEqual([1, 0, -1, 0]);
    expect(Array.from(data.x.subarray(8, 12))).toEqual([2, 2, 2, 2]);
  });

  it('with a cap keeps every labeled heatmap plus a deterministic sample of unlabeled ones', () => {
    seed(50);
    const labels = { ids: ['i49', 'i3'], targets: Int8Array.of(-1, 1) };
    const a = trainingData(labels, 5, 7);
    expect(a.data.n).toBe(7);
    expect(a.ids).toContain('i49');
    expect(a.ids).toContain('i3');
    expect(a.ids).toEqual([...a.ids].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    expect(trainingData(labels, 5, 7).ids).toEqual(a.ids);
    expect(trainingData(labels, 5, 8).ids).not.toEqual(a.ids);
    expect(a.data.semiTargets.filter((t) => t !== 0)).toHaveLength(2);
  });

  it('says what to do when nothing has been explained', () => {
    seed(0);
    expect(() => trainingData({ ids: [], targets: new Int8Array(0) })).toThrow(/explain some images first/);
  });
});
