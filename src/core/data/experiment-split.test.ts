import { describe, expect, it } from 'vitest';
import { createExperimentSplit, ExperimentSplitError, semiSupervisedCounts } from './experiment-split';

describe('semiSupervisedCounts', () => {
  // Expected values from numpy: int(x) of np.linalg.solve on the reference code's matrix
  // (a grid of 1944 cases matched when this was written; these are a few of them).
  it.each([
    [700, 0, 0, 0, [0, 700, 0, 0]],
    [700, 0, 0.01, 0.1, [0, 700, 77, 7]],
    [5923, 0, 0.01, 0.1, [0, 5923, 658, 66]], // official MNIST train, normal class 0
    [4900, 0.05, 0.05, 0.2, [318, 4581, 1145, 318]],
    [1000, 0.1, 0.2, 0.5, [222, 777, 777, 444]], // truncation: 222 + 777 ≠ 1000, as in the reference
    [37, 0.5, 0.5, 0.5, [37, 0, 0, 37]],
  ])('n_normal %i, ratios (%f, %f, %f)', (n, kn, ko, p, expected) => {
    const c = semiSupervisedCounts(n, { ratioKnownNormal: kn, ratioKnownOutlier: ko, ratioPollution: p });
    expect([c.nKnownNormal, c.nUnlabeledNormal, c.nUnlabeledOutlier, c.nKnownOutlier]).toEqual(expected);
  });

  it('rejects ratios outside [0, 1] and singular systems', () => {
    expect(() => semiSupervisedCounts(10, { ratioKnownNormal: 0, ratioKnownOutlier: 1.5, ratioPollution: 0 })).toThrow(ExperimentSplitError);
    expect(() => semiSupervisedCounts(10, { ratioKnownNormal: 0, ratioKnownOutlier: NaN, ratioPollution: 0 })).toThrow(/ratioKnownOutlier/);
    expect(() => semiSupervisedCounts(10, { ratioKnownNormal: 0, ratioKnownOutlier: 1, ratioPollution: 0 })).toThrow(/singular/);
  });
});

describe('createExperimentSplit', () => {
  const base = {
    classSizes: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
    normalClasses: [0],
    knownOutlierClasses: [1],
    ratioKnownNormal: 0,
    ratioKnownOutlier: 0.01,
    ratioPollution: 0.1,
    testFraction: 0.3,
    seed: 1,
  };

  it('holds out 30% of every class and uses every normal training sample', () => {
    const s = createExperimentSplit(base);
    expect(s.counts.nTest).toBe(300);
    expect(s.counts.nTestNormal).toBe(30);
    expect(s.counts.nTestAnomalous).toBe(270);
    // 70 normal → 70/0.9·0.1 = 7.78 → 7 unlabelled anomalies; 0.01/0.99·77.78 = 0.79 → 0 known.
    expect(s.counts).toMatchObject({ nKnownNormal: 0, nUnlabeledNormal: 70, nUnlabeledOutlier: 7, nKnownOutlier: 0, nTrain: 77 });
    const train = new Set(s.train.indices);
    expect(s.test.indices.every((i) => !train.has(i))).toBe(true);
    expect(new Set(s.test.indices).size).toBe(300);
    expect(s.test.indices.every((i, k) => Math.floor(i / 100) === s.test.classes[k])).toBe(true);
    expect(s.test.labels.every((l, k) => l === (s.test.classes[k] === 0 ? 0 : 1))).toBe(true);
  });

  it('draws known anomalies only from the known-outlier classes, with semi-target −1', () => {
    const s = createExperimentSplit({ ...base, classSizes: base.classSizes.map(() => 1000), ratioKnownOutlier: 0.05, ratioKnownNormal: 0.02 });
    const t = s.counts.target;
    // 700 normal; numpy: int(x) of the system = [16, 683, 75, 40].
    expect([t.nKnownNormal, t.nUnlabeledNormal, t.nUnlabeledOutlier, t.nKnownOutlier]).toEqual([16, 683, 75, 40]);
    const { semiTargets, classes } = s.train;
    let known = 0;
    for (let k = 0; k < semiTargets.length; k++) {
      if (semiTargets[k] === -1) {
        known++;
        expect(classes[k]).toBe(1);
      }
      if (semiTargets[k] === 1) expect(classes[k]).toBe(0);
    }
    expect(known).toBe(40);
    const pollution = Array.from(classes).filter((c, k) => semiTargets[k] === 0 && c !== 0);
    expect(pollution).toHaveLength(75);
    expect(new Set(pollution).size).toBeGreaterThan(5); // from all anomaly classes, not just class 1
  });

  it('is deterministic in the seed', () => {
    const a = createExperimentSplit(base);
    expect(createExperimentSplit(base).train.indices).toEqual(a.train.indices);
    expect(createExperimentSplit({ ...base, seed: 2 }).test.indices).not.toEqual(a.test.indices);
  });

  it('rejects bad classes', () => {
    expect(() => createExperimentSplit({ ...base, normalClasses: [10] })).toThrow(ExperimentSplitError);
    expect(() => createExperimentSplit({ ...base, knownOutlierClasses: [0] })).toThrow(/known-outlier/);
    expect(() => createExperimentSplit({ ...base, testFraction: 1 })).toThrow(/testFraction/);
  });
});
