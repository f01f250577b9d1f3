import { describe, expect, it } from 'vitest';
import { DEFAULT_TAG_BIAS, generateInsulatorSet, planInsulatorSet, renderPlanned, TEST_TAG_RATE } from './dataset';
import type { InsulatorSetItem } from './types';
import { INSULATOR_CLASSES } from './types';

function tagCount(items: InsulatorSetItem[], cls: string): number {
  return items.filter((s) => s.cls === cls && s.tag).length;
}

describe('generateInsulatorSet', () => {
  it('balances classes and names items <split>/<index>_<class>.png', () => {
    const items = generateInsulatorSet({ n: 31, seed: 1, split: 'test' });
    expect(items).toHaveLength(31);
    expect(items[17].id).toBe('test/00017_flashover.png');
    expect(items[0].id).toBe('test/00000_good.png');
    const counts = INSULATOR_CLASSES.map((c) => items.filter((s) => s.cls === c).length);
    expect(counts).toEqual([11, 10, 10]);
    for (const s of items) expect(s.id.endsWith(`_${s.cls}.png`)).toBe(true);
  });

  it('plants tags with the biased rates in train/reference and one rate for every class in test', () => {
    const n = 150; // 50 per class
    for (const split of ['train', 'reference'] as const) {
      const items = generateInsulatorSet({ n, seed: 5, split });
      expect(tagCount(items, 'broken')).toBe(Math.round(DEFAULT_TAG_BIAS.rateFaulty * 50));
      expect(tagCount(items, 'good')).toBe(Math.round(DEFAULT_TAG_BIAS.rateOther * 50));
      expect(tagCount(items, 'flashover')).toBe(Math.round(DEFAULT_TAG_BIAS.rateOther * 50));
    }
    const test = generateInsulatorSet({ n, seed: 5, split: 'test' });
    for (const c of INSULATOR_CLASSES) expect(tagCount(test, c)).toBe(Math.round(TEST_TAG_RATE * 50));
    for (const s of test) expect(s.tag).toBe(s.tagBox !== null);
  });

  it('takes a custom bias and test rate', () => {
    const items = generateInsulatorSet({ n: 30, seed: 2, split: 'train', tagBias: { faulty: 'flashover', rateFaulty: 1, rateOther: 0 } });
    expect(items.filter((s) => s.tag).map((s) => s.cls)).toEqual(new Array(10).fill('flashover'));
    const none = generateInsulatorSet({ n: 30, seed: 2, split: 'test', testTagRate: 0 });
    expect(none.some((s) => s.tag)).toBe(false);
  });

  it('is deterministic per seed and split, and splits and seeds do not share images', () => {
    const a = generateInsulatorSet({ n: 6, seed: 9, split: 'train' });
    const b = generateInsulatorSet({ n: 6, seed: 9, split: 'train' });
    const r = generateInsulatorSet({ n: 6, seed: 9, split: 'reference' });
    const s = generateInsulatorSet({ n: 6, seed: 10, split: 'train' });
    expect(a.map((x) => x.seed)).toEqual(b.map((x) => x.seed));
    expect(Buffer.from(a[4].image.data).equals(Buffer.from(b[4].image.data))).toBe(true);
    const seeds = new Set([...a, ...r, ...s].map((x) => x.seed));
    expect(seeds.size).toBe(18);
    const plan = planInsulatorSet({ n: 6, seed: 9, split: 'train' });
    expect(plan.map((p) => [p.id, p.cls, p.tag, p.seed])).toEqual(a.map((x) => [x.id, x.cls, x.tag, x.seed]));
    expect(Buffer.from(renderPlanned(plan[2]).image.data).equals(Buffer.from(a[2].image.data))).toBe(true);
  });

  it('rejects bad options with a message naming the valid values', () => {
    expect(() => generateInsulatorSet({ n: 0, seed: 1, split: 'test' })).toThrow(/n must be an integer ≥ 1/);
    expect(() => generateInsulatorSet({ n: 3, seed: 1, split: 'val' as 'test' })).toThrow(/train, reference, test/);
    expect(() => generateInsulatorSet({ n: 3, seed: 1, split: 'train', tagBias: { faulty: 'broken', rateFaulty: 1.5, rateOther: 0 } })).toThrow(/\[0, 1\]/);
  });
});
