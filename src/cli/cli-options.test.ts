import { describe, expect, it } from 'vitest';
import { heatmapSize, netName, normalization, resizeMode, target, trainingOverrides } from './cli-options';

describe('CLI option parsing', () => {
  it('parses sizes, targets, normalisations and nets', () => {
    expect(heatmapSize('32')).toEqual([32, 32]);
    expect(heatmapSize('16x24')).toEqual([16, 24]);
    expect(() => heatmapSize('0')).toThrow(/--size/);
    expect(() => heatmapSize('big')).toThrow(/--size/);
    expect(target('predicted')).toBe('predicted');
    expect(target('2')).toBe(2);
    expect(() => target('-1')).toThrow(/--target must be an integer ≥ 0/);
    expect(normalization('imagenet')).toBe('imagenet');
    expect(() => normalization('zscore')).toThrow(/unit, signed, imagenet, none/);
    expect(resizeMode('center-crop')).toBe('center-crop');
    expect(() => resizeMode('fit')).toThrow(/stretch or center-crop/);
    expect(netName('lenet')).toBe('heatmap_LeNet');
    expect(netName('mlp')).toBe('mlp');
    expect(() => netName('resnet')).toThrow(/lenet or mlp/);
  });

  it('keeps only the training flags that were given', () => {
    expect(trainingOverrides({ lrMilestone: [], aeLrMilestone: [] })).toEqual({});
    expect(trainingOverrides({ nEpochs: '3', lrMilestone: ['2', '1'], aeLrMilestone: [], pretrain: 'false', seed: '4' })).toEqual({ nEpochs: 3, lrMilestones: [2, 1], pretrain: false, seed: 4 });
    expect(() => trainingOverrides({ batchSize: '0', lrMilestone: [], aeLrMilestone: [] })).toThrow(/--batch-size must be an integer ≥ 1/);
  });
});
