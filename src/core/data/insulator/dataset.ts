/**
 * `generateInsulatorSet`: a class-balanced set of rendered crops for one split, with the ID-tag
 * nuisance planted as the benchmark needs it:
 * - `train` and `reference` are BIASED: tags co-occur with one faulty class (`broken` by default),
 *   as on the real lines where inspection tags were stuck on shells that had been reported;
 * - `test` is UNBIASED: every class carries tags at the same rate.
 * Tag counts are exact per class (round(rate · n_class), which images chosen by the seed), so the
 * split statistics do not wander with the seed.
 */
import { createRng, hashSeed } from './prng';
import { renderInsulator } from './render';
import type { InsulatorClass, InsulatorSetItem } from './types';
import { DEFAULT_INSULATOR_SIZE, INSULATOR_CLASSES, InsulatorOptionsError } from './types';

/** The three splits of the insulator benchmark. */
export type InsulatorSplit = 'train' | 'reference' | 'test';

/** All splits, in their canonical order. */
export const INSULATOR_SPLITS: readonly InsulatorSplit[] = ['train', 'reference', 'test'];

/** How tags are planted in a biased split. Rates are fractions in [0, 1] of each class's images. */
export interface TagBias {
  /** The faulty class that tags co-occur with. */
  faulty: InsulatorClass;
  /** Fraction of `faulty` images that carry a tag. */
  rateFaulty: number;
  /** Fraction of every other class's images that carry a tag. */
  rateOther: number;
}

/**
 * The bias of the `train` and `reference` splits, tuned with scripts/train-demo.ts so that the
 * bundled classifiers learn the shortcut only PARTLY: they still learn the defects (≥ 85% accuracy
 * on tag-free test images) and also read the tag (≥ 30% of tagged `good` test shells called faulty).
 * What the tuning found: with tags on 50% of `broken` and 4% of the other images, the few tagged
 * counter-examples were enough for both nets to ignore the tag (shortcut rate 0.05, vgg_small);
 * tags on 90% of `broken` and none elsewhere made both lean on the tag too much (tag-free accuracy
 * 0.83–0.84); tags on 60% of `broken` and on no other image give the partial shortcut recorded in
 * public/models/<name>/metadata.json. (A prototype with weaker defects and 85% of `broken` tagged
 * learnt a total shortcut.)
 */
export const DEFAULT_TAG_BIAS: Readonly<TagBias> = { faulty: 'broken', rateFaulty: 0.6, rateOther: 0 };

/** Fraction of images of EVERY class that carry a tag in the unbiased `test` split. */
export const TEST_TAG_RATE = 0.3;

/** Options of {@link generateInsulatorSet}. */
export interface InsulatorSetOptions {
  /** Number of images, ≥ 1; classes get ⌊n/3⌋ or ⌈n/3⌉ each (cycled good, broken, flashover). */
  n: number;
  /** Set seed (32-bit integer); the split is mixed in, so splits of one seed share no image. */
  seed: number;
  split: InsulatorSplit;
  /** Side in pixels, default 64. */
  size?: number;
  /** Overrides {@link DEFAULT_TAG_BIAS} for `train`/`reference`; ignored for `test`. */
  tagBias?: TagBias;
  /** Overrides {@link TEST_TAG_RATE} for `test`; ignored otherwise. */
  testTagRate?: number;
}

/** What one item of a set will be, before rendering: id, class, tag flag and per-image seed. */
export interface InsulatorSetPlan {
  id: string;
  cls: InsulatorClass;
  tag: boolean;
  seed: number;
}

/**
 * The items of a split without rendering them (cheap), for callers that render and write one image
 * at a time. Item i has class INSULATOR_CLASSES[i mod 3] and id `<split>/<i, 5 digits>_<class>.png`,
 * e.g. `test/00017_flashover.png`.
 * @throws InsulatorOptionsError for n < 1, a non-integer seed, a bad split or a rate outside [0, 1].
 */
export function planInsulatorSet(opts: InsulatorSetOptions): InsulatorSetPlan[] {
  const tagged = planTags(opts);
  const splitIndex = INSULATOR_SPLITS.indexOf(opts.split);
  return tagged.map((tag, i) => {
    const cls = INSULATOR_CLASSES[i % 3];
    return { id: `${opts.split}/${String(i).padStart(5, '0')}_${cls}.png`, cls, tag, seed: hashSeed(opts.seed, splitIndex, i) | 0 };
  });
}

/** Renders one planned item at `size` pixels (default 64). */
export function renderPlanned(plan: InsulatorSetPlan, size = DEFAULT_INSULATOR_SIZE): InsulatorSetItem {
  return { ...renderInsulator({ seed: plan.seed, cls: plan.cls, tag: plan.tag, size }), id: plan.id, seed: plan.seed };
}

/**
 * Renders a split: {@link planInsulatorSet}, then every item.
 * @throws InsulatorOptionsError as planInsulatorSet, or for a bad size.
 */
export function generateInsulatorSet(opts: InsulatorSetOptions): InsulatorSetItem[] {
  return planInsulatorSet(opts).map((p) => renderPlanned(p, opts.size));
}

/** The tag rate of a class in a split. */
export function tagRate(cls: InsulatorClass, split: InsulatorSplit, bias: TagBias = DEFAULT_TAG_BIAS, testRate = TEST_TAG_RATE): number {
  if (split === 'test') return testRate;
  return cls === bias.faulty ? bias.rateFaulty : bias.rateOther;
}

/** Which items carry a tag: per class, exactly round(rate · count) of them, picked by a seeded shuffle. */
function planTags(opts: InsulatorSetOptions): boolean[] {
  const { n, seed, split } = opts;
  if (!Number.isInteger(n) || n < 1) throw new InsulatorOptionsError(`n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(seed)) throw new InsulatorOptionsError(`seed must be an integer, got ${seed}`);
  if (!INSULATOR_SPLITS.includes(split)) throw new InsulatorOptionsError(`split must be one of ${INSULATOR_SPLITS.join(', ')}, got ${String(split)}`);
  const bias = opts.tagBias ?? DEFAULT_TAG_BIAS;
  const testRate = opts.testTagRate ?? TEST_TAG_RATE;
  for (const r of [bias.rateFaulty, bias.rateOther, testRate]) {
    if (!(r >= 0 && r <= 1)) throw new InsulatorOptionsError(`tag rates must lie in [0, 1], got ${r}`);
  }
  const rng = createRng(hashSeed(seed, INSULATOR_SPLITS.indexOf(split), 0x7a9));
  const tagged = new Array<boolean>(n).fill(false);
  INSULATOR_CLASSES.forEach((cls, c) => {
    const members: number[] = [];
    for (let i = c; i < n; i += 3) members.push(i);
    for (let j = members.length - 1; j > 0; j--) {
      const r = rng.int(0, j);
      [members[j], members[r]] = [members[r], members[j]];
    }
    const count = Math.round(tagRate(cls, split, bias, testRate) * members.length);
    for (let j = 0; j < count; j++) tagged[members[j]] = true;
  });
  return tagged;
}
