import { describe, expect, it } from 'vitest';
import { combinedScores, faultyAccuracy, randomExpected, scoreDetector, type DetectorFigures } from './detectors';
import { fractionalRanks } from '../../src/core/metrics/ranks';
import { renderReport, TARGETS, type SeedRun } from './report';
import { analystLabels } from './analyst';
import { bootstrap, mean } from './stats';

describe('analyst', () => {
  it('labels half shortcut cases, half misclassified, filling in when one kind runs short', () => {
    const n = 40;
    const t = { misclassified: new Uint8Array(n), shortcut: new Uint8Array(n) };
    for (let i = 0; i < 10; i++) t.shortcut[i] = 1;
    for (let i = 10; i < 13; i++) t.misclassified[i] = 1;
    const picked = (s: Int8Array): number[] => [...s.keys()].filter((i) => s[i] === -1);
    const s = analystLabels(t, 8, 1);
    expect(picked(s)).toHaveLength(8);
    expect(picked(s).filter((i) => i < 10)).toHaveLength(5); // only 3 misclassified exist → 5 shortcut cases
    expect(picked(s).filter((i) => i >= 10 && i < 13)).toHaveLength(3);
    // enough of both: ⌈k/2⌉ shortcut, ⌊k/2⌋ misclassified; and the other way round when shortcut cases run short
    const even = analystLabels(t, 5, 2);
    expect(picked(even).filter((i) => i < 10)).toHaveLength(3);
    expect(picked(even).filter((i) => i >= 10)).toHaveLength(2);
    const few = { misclassified: Uint8Array.from({ length: n }, (_, i) => (i >= 20 ? 1 : 0)), shortcut: Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)) };
    const f = picked(analystLabels(few, 6, 3));
    expect(f).toHaveLength(6);
    expect(f).toContain(0);
    expect(f.filter((i) => i >= 20)).toHaveLength(5);
    expect([...analystLabels(t, 0, 1)].every((v) => v === 0)).toBe(true);
    expect(picked(analystLabels(t, 30, 1))).toHaveLength(13); // fewer cases than k: all of them
  });
});

describe('detector figures', () => {
  const n = 20;
  const t = { misclassified: new Uint8Array(n), shortcut: new Uint8Array(n), anomalous: new Uint8Array(n) };
  t.misclassified[0] = 1;
  t.misclassified[1] = 1;
  t.shortcut[2] = 1;
  for (let i = 0; i < 3; i++) t.anomalous[i] = 1;
  const correct = Uint8Array.from(t.misclassified, (m) => 1 - m);
  const faulty = Uint8Array.from({ length: n }, (_, i) => (i < 10 ? 1 : 0));

  it('flags the top budget and scores it by hand-countable cases', () => {
    // Scores rank images 0, 2, 5 highest; a 15% budget of 20 flags 3.
    const scores = Float32Array.from({ length: n }, (_, i) => (i === 0 ? 10 : i === 2 ? 9 : i === 5 ? 8 : 0.01 * i));
    const f = scoreDetector(scores, t, correct, faulty, 0.15);
    expect(f.precision).toBeCloseTo(1 / 3);
    expect(f.recall).toBeCloseTo(1 / 2);
    expect(f.f1).toBeCloseTo(2 / 5);
    expect(f.shortcut_recall).toBe(1);
    expect(f.union_recall).toBeCloseTo(2 / 3);
    // faulty images 0–9: 8 correct before; image 0 flagged and corrected → 9/10.
    expect(faultyAccuracy(correct, faulty)).toBeCloseTo(0.8);
    expect(f.faulty_accuracy_after).toBeCloseTo(0.9);
  });

  it('random flagging has the expected values', () => {
    const r = randomExpected(t, correct, faulty, 0.15);
    expect(r.precision).toBeCloseTo(0.1);
    expect(r.recall).toBe(0.15);
    expect(r.f1).toBeCloseTo((2 * 0.1 * 0.15) / 0.25);
    expect(r.faulty_accuracy_after).toBeCloseTo(0.8 + 0.15 * 0.2);
  });

  it('ranks with ties and combines two rankings', () => {
    const r = fractionalRanks(Float32Array.from([3, 1, 3, 2]));
    [5 / 6, 0, 5 / 6, 1 / 3].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 6));
    const c = combinedScores(Float32Array.from([1, 2, 3]), Float32Array.from([3, 2, 1]));
    expect([...c]).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('stats', () => {
  it('means and bootstrap intervals', () => {
    expect(mean([1, 2, NaN, 3])).toBe(2);
    const c = bootstrap([0.4, 0.4, 0.4]);
    for (const v of [c.mean, c.lo, c.hi]) expect(v).toBeCloseTo(0.4, 12);
    const b = bootstrap([0, 1, 0, 1]);
    expect(b.mean).toBe(0.5);
    expect(b.lo).toBeLessThan(0.5);
    expect(b.hi).toBeGreaterThan(0.5);
    expect(b.lo).toBeGreaterThanOrEqual(0);
  });
});

describe('targets', () => {
  const figs = (over: Partial<DetectorFigures>): DetectorFigures => ({ f1: 0.2, precision: 0.2, recall: 0.2, shortcut_recall: 0.15, union_recall: 0.15, roc_auc: 0.5, pr_auc: 0.1, faulty_accuracy_after: 0.9, ...over });
  const run = (seed: number, combinedUnion: number): SeedRun => ({
    seed,
    classifier: 'net',
    tagfree_accuracy: 0.97,
    shortcut_rate: 0.5,
    faulty_accuracy_before: 0.88,
    n_misclassified: 70,
    n_shortcut: 20,
    n_labeled: 20,
    detectors: {
      deepsad: figs({ f1: 0.6, shortcut_recall: 0.8, faulty_accuracy_after: 0.95 }),
      deepsad_unlabeled: figs({}),
      faithfulness: figs({ f1: 0.1 }),
      confidence: figs({ union_recall: 0.2, shortcut_recall: 0.1 }),
      random: figs({ f1: 0.13, faulty_accuracy_after: 0.91 }),
      combined: figs({ union_recall: combinedUnion }),
    },
  });

  it('checks each target on the means and names the seeds where it fails', () => {
    // combined union recall 0.3 and 0.15 against confidence 0.2: mean 0.225 > 0.2, but seed 2 fails.
    const { markdown, table } = renderReport([run(1, 0.3), run(2, 0.15)], { seed: 1, seeds: 2, nRef: 10, nTest: 10, k: 2, budget: 0.15, seconds: 1, command: 'x', jobs: 2 });
    expect(table).toContain('(1) Deep SAD F1 0.600 vs faithfulness 0.100 and random 0.130: met on the means, on 2 of 2 seeds');
    expect(table).toContain('(2) Deep SAD shortcut recall 0.800 vs 3× random 0.450 and confidence 0.100: met on the means, on 2 of 2 seeds');
    expect(table).toContain('(3) combined union recall 0.225 vs confidence 0.200: met on the means, on 1 of 2 seeds (not on seed 2)');
    expect(table).toContain('(4) faulty accuracy after Deep SAD − after random = 4.0 points (target ≥ 3): met on the means, on 2 of 2 seeds');
    expect(markdown).toContain('The 2 (seed, classifier) jobs ran 2 at a time (`--jobs`).');
    const low = renderReport([run(1, 0.1)], { seed: 1, seeds: 1, nRef: 10, nTest: 10, k: 2, budget: 0.15, seconds: 1, command: 'x' });
    expect(low.table).toContain('(3) combined union recall 0.100 vs confidence 0.200: MISSED on the means, on 0 of 1 seeds (not on seed 1)');
    expect(TARGETS).toHaveLength(4);
  });
});
