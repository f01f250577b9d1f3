import { describe, expect, it } from 'vitest';
import type { ExplainSettings } from './job-schema';
import { explainShardKey, planShards, scoreShardKey } from './shards';

const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `img-${i}.png`, path: `/data/img-${i}.png` }));
const settings: ExplainSettings = { method: 'gradcam', target: 'predicted', size: [32, 32], batch: 32, resize: 'stretch', faithfulness: true, peakPatches: true };

describe('planShards', () => {
  it('cuts the images in order into shards of k, the last one shorter, every image once', () => {
    const s = planShards(entries(10), 4);
    expect(s.map((x) => x.entries.length)).toEqual([4, 4, 2]);
    expect(s.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(s.flatMap((x) => x.entries.map((e) => e.id))).toEqual(entries(10).map((e) => e.id));
  });

  it('gives one shard when k ≥ n, none for no images, and refuses k < 1', () => {
    expect(planShards(entries(3), 64)).toHaveLength(1);
    expect(planShards([], 8)).toEqual([]);
    expect(() => planShards(entries(3), 0)).toThrow(RangeError);
    expect(() => planShards(entries(3), 1.5)).toThrow(RangeError);
  });
});

describe('shard keys (job ids and file names: what makes a re-run resume)', () => {
  it('are stable for the same model, settings and images', () => {
    const [a] = planShards(entries(5), 5);
    expect(explainShardKey('ab'.repeat(32), settings, a.entries)).toBe(explainShardKey('ab'.repeat(32), { ...settings }, [...a.entries]));
    expect(explainShardKey('ab'.repeat(32), settings, a.entries)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('change with anything that changes the output: the model, a setting, an image, the order', () => {
    const e = entries(5);
    const base = explainShardKey('ab'.repeat(32), settings, e);
    expect(explainShardKey('cd'.repeat(32), settings, e)).not.toBe(base);
    expect(explainShardKey('ab'.repeat(32), { ...settings, method: 'layercam' }, e)).not.toBe(base);
    expect(explainShardKey('ab'.repeat(32), { ...settings, layer: 'conv_3' }, e)).not.toBe(base);
    expect(explainShardKey('ab'.repeat(32), settings, e.slice(1))).not.toBe(base);
    expect(explainShardKey('ab'.repeat(32), settings, [e[1], e[0], ...e.slice(2)])).not.toBe(base);
  });

  it('score keys follow the explain shard, the detector and the input kind', () => {
    const k = scoreShardKey('11', '22', 'heatmap-peak');
    expect(scoreShardKey('11', '22', 'heatmap-peak')).toBe(k);
    expect(scoreShardKey('11', '23', 'heatmap-peak')).not.toBe(k);
    expect(scoreShardKey('11', '22', 'heatmap')).not.toBe(k);
  });
});
