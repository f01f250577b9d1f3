/**
 * The simulated analyst of the audit benchmark: the k reference images it labels anomalous for
 * Deep SAD. It labels from the benchmark truth (scripts/bench-lib/truth.ts), as an analyst who
 * checked each pick would: half shortcut cases (right only because of the tag, by the generator's
 * counterfactual), half misclassified images.
 */
import { createRng } from '../../src/core/data/insulator/prng';
import type { BenchTruth } from '../bench-lib/truth';

/**
 * Up to ⌈k/2⌉ shortcut and ⌊k/2⌋ misclassified reference images (seeded choice; when one kind runs
 * short the other fills in, so k picks whenever the two kinds together have k), returned as Deep SAD
 * semi-targets: −1 = labeled anomalous, 0 = unlabeled. The two kinds are disjoint (a shortcut case is
 * predicted right).
 */
export function analystLabels(t: Pick<BenchTruth, 'shortcut' | 'misclassified'>, k: number, seed: number): Int8Array {
  const n = t.misclassified.length;
  const rng = createRng(seed);
  const shuffled = (flags: Uint8Array): number[] => {
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => flags[i] === 1);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx;
  };
  const shortcuts = shuffled(t.shortcut);
  const wrong = shuffled(t.misclassified);
  let nShortcut = Math.min(shortcuts.length, Math.ceil(k / 2));
  const nWrong = Math.min(wrong.length, k - nShortcut);
  nShortcut = Math.min(shortcuts.length, k - nWrong);
  const s = new Int8Array(n);
  for (const i of [...shortcuts.slice(0, nShortcut), ...wrong.slice(0, nWrong)]) s[i] = -1;
  return s;
}
