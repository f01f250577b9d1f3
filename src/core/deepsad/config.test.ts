import { describe, expect, it } from 'vitest';
import { batchesPerEpoch, defaultConfig, epochsForSteps, EXPERIMENT_NETS, EXPERIMENT_STEPS, NET_NAMES, paperSchedule, validateConfig, withStepSchedule } from './config';
import { DeepSadConfigError } from './errors';
import type { DeepSadConfig } from './types';

const base = defaultConfig('heatmap_LeNet', [32, 32, 1]);

function errorOf(cfg: unknown): DeepSadConfigError | null {
  try {
    validateConfig(cfg as DeepSadConfig);
    return null;
  } catch (e) {
    return e as DeepSadConfigError;
  }
}

describe('defaultConfig', () => {
  it('is valid for every net', () => {
    for (const net of NET_NAMES) {
      const shape: [number, number, number] = net === 'cifar10_LeNet' ? [32, 32, 3] : net === 'heatmap_LeNet' ? [32, 32, 1] : net === 'mlp' ? [1, 1, 9] : [28, 28, 1];
      expect(validateConfig(defaultConfig(net, shape))).toEqual(defaultConfig(net, shape));
    }
  });

  it('expresses the seed README schedule with paperSchedule', () => {
    const p = paperSchedule(base);
    expect(p).toMatchObject({ lr: 1e-4, nEpochs: 150, lrMilestones: [50], batchSize: 128, weightDecay: 5e-7, pretrain: true, aeLr: 1e-4, aeNEpochs: 150, aeBatchSize: 128, aeWeightDecay: 5e-4 });
    expect(validateConfig(p)).toEqual(p);
  });
});

describe('validateConfig', () => {
  it('sorts milestones and copies', () => {
    const v = validateConfig({ ...base, lrMilestones: [80, 20] });
    expect(v.lrMilestones).toEqual([20, 80]);
  });

  it.each([
    [{ net: 'resnet' }, /net must be one of mnist_LeNet, fmnist_LeNet, cifar10_LeNet, mlp, heatmap_LeNet; got resnet/],
    [{ eta: 0 }, /eta must be a finite number > 0, got 0/],
    [{ eta: -1 }, /eta must be a finite number > 0/],
    [{ lr: Number.NaN }, /lr must be a finite number > 0, got NaN/],
    [{ nEpochs: 1.5 }, /nEpochs must be an integer ≥ 0, got 1.5/],
    [{ nEpochs: -1 }, /nEpochs must be an integer ≥ 0/],
    [{ batchSize: 0 }, /batchSize must be an integer ≥ 1/],
    [{ weightDecay: -1e-6 }, /weightDecay must be a finite number ≥ 0/],
    [{ lrMilestones: [0] }, /lrMilestones\[0\] must be an integer ≥ 1/],
    [{ aeLrMilestones: 'x' }, /aeLrMilestones must be a list of epochs/],
    [{ aeNEpochs: 2.5 }, /aeNEpochs must be an integer ≥ 0/],
    [{ pretrain: 'yes' }, /pretrain must be true or false/],
    [{ seed: -3 }, /seed must be an integer ≥ 0/],
    [{ inputShape: [28, 28, 1] }, /heatmap_LeNet takes 32×32 inputs \(any channels\), got inputShape \[28,28,1\]/],
    [{ inputShape: [32, 32] }, /inputShape must be \[height, width, channels\]/],
    [{ net: 'mlp', inputShape: [1, 1, 4], mlpWidths: [] }, /mlpWidths must list hidden widths then the code size/],
    [{ net: 'mlp', inputShape: [1, 1, 4], mlpWidths: [8, 0] }, /mlpWidths\[1\] must be an integer ≥ 1, got 0/],
  ])('rejects %j with a message naming the valid range', (patch, re) => {
    const err = errorOf({ ...base, ...patch });
    expect(err).toBeInstanceOf(DeepSadConfigError);
    expect(err?.code).toBe('config');
    expect(err?.message).toMatch(re);
  });
});

describe('step schedules', () => {
  it('leaves the explanation detector default (heatmap_LeNet) as it was', () => {
    expect(defaultConfig('heatmap_LeNet', [32, 32, 1])).toEqual({
      net: 'heatmap_LeNet', inputShape: [32, 32, 1], eta: 1, lr: 1e-3, nEpochs: 30, lrMilestones: [20], batchSize: 128, weightDecay: 5e-7,
      pretrain: true, aeLr: 1e-3, aeNEpochs: 15, aeLrMilestones: [], aeBatchSize: 128, aeWeightDecay: 5e-4, seed: 0,
    });
  });

  it('counts drop_last batches per epoch (one batch below the batch size)', () => {
    expect(batchesPerEpoch(778, 128)).toBe(6);
    expect(batchesPerEpoch(5730, 128)).toBe(44);
    expect(batchesPerEpoch(100, 128)).toBe(1);
    expect(epochsForSteps(0, 778, 128)).toBe(0);
    expect(epochsForSteps(1, 5730, 128)).toBe(1);
    expect(epochsForSteps(500, 778, 128)).toBe(83); // 500 / 6 = 83.3
    expect(epochsForSteps(500, 5730, 128)).toBe(11); // 500 / 44 = 11.4
  });

  it('gives a small and a large training set the same number of steps, rounded to whole epochs', () => {
    const s = { aeSteps: 120, aeLr: 1e-3, steps: 600, lr: 1e-4, lrDropAt: 0.75 };
    const base = defaultConfig('mnist_LeNet', [28, 28, 1]);
    const small = withStepSchedule(base, 778, s);
    const large = withStepSchedule(base, 5730, s);
    expect(small).toMatchObject({ lr: 1e-4, nEpochs: 100, lrMilestones: [75], aeLr: 1e-3, aeNEpochs: 20, aeLrMilestones: [] });
    expect(large).toMatchObject({ lr: 1e-4, nEpochs: 14, lrMilestones: [11], aeNEpochs: 3 });
    expect(small.nEpochs * batchesPerEpoch(778, 128)).toBe(600);
    expect(Math.abs(large.nEpochs * batchesPerEpoch(5730, 128) - 600)).toBeLessThanOrEqual(22);
    // no drop when it would fall on the first or last epoch
    expect(withStepSchedule(base, 5730, { ...s, steps: 44, lrDropAt: 0.5 }).lrMilestones).toEqual([]);
    expect(validateConfig(small)).toEqual(small);
  });

  it('is the default of the paper nets only (EXPERIMENT_NETS)', () => {
    expect(EXPERIMENT_NETS).toEqual(['mnist_LeNet', 'fmnist_LeNet', 'cifar10_LeNet']);
    expect(EXPERIMENT_STEPS.steps).toBeGreaterThan(0);
  });
});
