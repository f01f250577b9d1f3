import { describe, expect, it } from 'vitest';
import { defaultConfig, NET_NAMES, paperSchedule, validateConfig } from './config';
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
