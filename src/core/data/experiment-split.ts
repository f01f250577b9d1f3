/**
 * The one-vs-rest semi-supervised experiment of Deep SAD (Ruff et al., ICLR 2020) on a labelled image
 * set: a seeded held-out test split per class, then the training set of the reference code's
 * `create_semisupervised_setting` (lukasruff/Deep-SAD-PyTorch, `src/datasets/preprocessing.py`).
 *
 * Samples are addressed by a global index into the classes concatenated in class order
 * (class 0's samples first), so callers keep their pixels in one place and gather by index.
 */

import { createRng, permutation } from '../random';

/** Bad experiment parameters (ratios, classes, an unsolvable count system). */
export class ExperimentSplitError extends Error {
  override name = 'ExperimentSplitError';
  constructor(
    readonly code: 'bad-argument' | 'unsolvable',
    message: string,
  ) {
    super(message);
  }
}

/** Numbers of training samples per group, as the reference code's 4×4 linear system gives them. */
export interface SemiSupervisedCounts {
  /** Labelled normal (semi-target +1). */
  nKnownNormal: number;
  /** Unlabelled normal (semi-target 0). */
  nUnlabeledNormal: number;
  /** Unlabelled anomalies, the pollution (semi-target 0). */
  nUnlabeledOutlier: number;
  /** Labelled anomalies from the known-outlier classes (semi-target −1). */
  nKnownOutlier: number;
}

/** The three ratios of the seed tool, each in [0, 1]. */
export interface SemiSupervisedRatios {
  /** Known normals / |train| (`--ratio-known-normal`, 0 in the paper). */
  ratioKnownNormal: number;
  /** Known anomalies / |train| (γ_l, `--ratio-known-outlier`). */
  ratioKnownOutlier: number;
  /** Unlabelled anomalies / |unlabelled| (γ_p, `--ratio-pollution`). */
  ratioPollution: number;
}

/** Solves a·x = b by Gaussian elimination with partial pivoting (as LAPACK's gesv, which numpy calls). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) throw new ExperimentSplitError('unsolvable', 'the ratios give a singular count system');
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * The reference code's sample counts: solve
 *   known_normal + unlabeled_normal = n_normal,
 *   known_normal = r_kn · |train|,  known_outlier = r_ko · |train|,
 *   unlabeled_outlier = r_p · (unlabeled_normal + unlabeled_outlier)
 * and truncate each to an integer as Python's `int()` does.
 * @param nNormal number of normal training samples (all are used)
 * @throws ExperimentSplitError `bad-argument` for ratios outside [0, 1]; `unsolvable` when the system is singular or a count is negative
 */
export function semiSupervisedCounts(nNormal: number, r: SemiSupervisedRatios): SemiSupervisedCounts {
  for (const [name, v] of Object.entries(r)) {
    if (!(v >= 0 && v <= 1)) throw new ExperimentSplitError('bad-argument', `${name} must be in [0, 1], got ${v}`);
  }
  const { ratioKnownNormal: kn, ratioKnownOutlier: ko, ratioPollution: p } = r;
  const x = solve(
    [
      [1, 1, 0, 0],
      [1 - kn, -kn, -kn, -kn],
      [-ko, -ko, -ko, 1 - ko],
      [0, -p, 1 - p, 0],
    ],
    [nNormal, 0, 0, 0],
  );
  // `+ 0` turns the -0 of a tiny negative float error into 0, as Python's int() does.
  const counts = x.map((v) => Math.trunc(v) + 0);
  if (counts.some((c) => !Number.isFinite(c) || c < 0)) {
    throw new ExperimentSplitError('unsolvable', `the ratios give negative sample counts (${x.map((v) => v.toFixed(2)).join(', ')})`);
  }
  return { nKnownNormal: counts[0], nUnlabeledNormal: counts[1], nUnlabeledOutlier: counts[2], nKnownOutlier: counts[3] };
}

/** Options of {@link createExperimentSplit}. */
export interface ExperimentSplitOptions extends SemiSupervisedRatios {
  /** Samples per class, in class order (class c's samples have global indices offset_c … offset_c + size_c − 1). */
  classSizes: number[];
  /** Classes that are normal (the paper: one). Every other class is an anomaly class. */
  normalClasses: number[];
  /** Classes the labelled anomalies are drawn from (k_l classes; empty = none). */
  knownOutlierClasses: number[];
  /** Fraction of each class held out for the test set, in (0, 1). 0.3 in `apexp deepsad`. */
  testFraction: number;
  /** Seed of the held-out split and of the sampling. */
  seed: number;
}

/** Counts actually drawn (a group can be smaller than its target when its pool runs short). */
export interface ExperimentSplitCounts extends SemiSupervisedCounts {
  /** Targets of the linear system before the pools limited them. */
  target: SemiSupervisedCounts;
  nTrain: number;
  nTest: number;
  nTestNormal: number;
  nTestAnomalous: number;
  /** Per class: samples in the training pool and in the test set. */
  perClass: { cls: number; pool: number; test: number }[];
}

/** The training set (in the reference code's order) and the held-out test set. */
export interface ExperimentSplit {
  train: {
    /** Global sample indices: known normal, unlabelled normal, unlabelled anomalies, known anomalies. */
    indices: Int32Array;
    /** Original class of each training sample. */
    classes: Int32Array;
    /** Deep SAD semi-targets: +1 known normal, 0 unlabelled, −1 known anomaly. */
    semiTargets: Int8Array;
  };
  test: {
    indices: Int32Array;
    classes: Int32Array;
    /** 0 = normal class, 1 = anomaly (any other class). */
    labels: Uint8Array;
  };
  counts: ExperimentSplitCounts;
}

function take(pool: number[], perm: Uint32Array, from: number, n: number): number[] {
  return Array.from(perm.subarray(from, from + n), (k) => pool[k]);
}

/**
 * Builds the experiment. Per class, a seeded shuffle puts `round(testFraction · size)` samples in the
 * test set and the rest in the training pool. On the pool, all normals are used and the anomalies
 * are sampled with the counts of {@link semiSupervisedCounts}: unlabelled anomalies from every
 * anomaly class, labelled ones only from `knownOutlierClasses`, as in the reference code (which may
 * draw the same image as both; so does this).
 * @throws ExperimentSplitError on bad classes, ratios or fraction
 */
export function createExperimentSplit(o: ExperimentSplitOptions): ExperimentSplit {
  const nClasses = o.classSizes.length;
  const isClass = (c: number): boolean => Number.isInteger(c) && c >= 0 && c < nClasses;
  if (o.normalClasses.length === 0 || !o.normalClasses.every(isClass) || !o.knownOutlierClasses.every(isClass)) {
    throw new ExperimentSplitError('bad-argument', `classes must be integers in 0…${nClasses - 1}, with at least one normal class`);
  }
  if (o.knownOutlierClasses.some((c) => o.normalClasses.includes(c))) {
    throw new ExperimentSplitError('bad-argument', 'a known-outlier class cannot also be a normal class');
  }
  if (!(o.testFraction > 0 && o.testFraction < 1)) throw new ExperimentSplitError('bad-argument', `testFraction must be in (0, 1), got ${o.testFraction}`);

  const rnd = createRng(o.seed);
  const pools: number[][] = [];
  const testIdx: number[] = [];
  const testCls: number[] = [];
  const perClass: ExperimentSplitCounts['perClass'] = [];
  let offset = 0;
  for (let c = 0; c < nClasses; c++) {
    const size = o.classSizes[c];
    const perm = Array.from(permutation(size, rnd), (k) => offset + k);
    const nTest = Math.round(o.testFraction * size);
    for (const i of perm.slice(0, nTest)) {
      testIdx.push(i);
      testCls.push(c);
    }
    pools.push(perm.slice(nTest).sort((a, b) => a - b));
    perClass.push({ cls: c, pool: size - nTest, test: nTest });
    offset += size;
  }
  const classOf = (i: number): number => {
    let c = 0;
    let end = o.classSizes[0];
    while (i >= end) end += o.classSizes[++c];
    return c;
  };

  const normal = o.normalClasses.flatMap((c) => pools[c]).sort((a, b) => a - b);
  const outlier = pools.flatMap((p, c) => (o.normalClasses.includes(c) ? [] : p)).sort((a, b) => a - b);
  const knownCandidates = o.knownOutlierClasses.flatMap((c) => pools[c]).sort((a, b) => a - b);
  const target = semiSupervisedCounts(normal.length, {
    ratioKnownNormal: o.ratioKnownNormal,
    ratioKnownOutlier: o.ratioKnownOutlier,
    ratioPollution: o.ratioPollution,
  });

  const permNormal = permutation(normal.length, rnd);
  const permOutlier = permutation(outlier.length, rnd);
  const permKnown = permutation(knownCandidates.length, rnd);
  const knownNormal = take(normal, permNormal, 0, target.nKnownNormal);
  const unlabeledNormal = take(normal, permNormal, target.nKnownNormal, target.nUnlabeledNormal);
  const unlabeledOutlier = take(outlier, permOutlier, 0, target.nUnlabeledOutlier);
  const knownOutlier = take(knownCandidates, permKnown, 0, target.nKnownOutlier);

  const trainIdx = [...knownNormal, ...unlabeledNormal, ...unlabeledOutlier, ...knownOutlier];
  const semi = [
    ...knownNormal.map(() => 1),
    ...unlabeledNormal.map(() => 0),
    ...unlabeledOutlier.map(() => 0),
    ...knownOutlier.map(() => -1),
  ];
  const testLabels = testCls.map((c) => (o.normalClasses.includes(c) ? 0 : 1));
  const nTestAnomalous = testLabels.reduce<number>((a, b) => a + b, 0);
  return {
    train: { indices: Int32Array.from(trainIdx), classes: Int32Array.from(trainIdx, classOf), semiTargets: Int8Array.from(semi) },
    test: { indices: Int32Array.from(testIdx), classes: Int32Array.from(testCls), labels: Uint8Array.from(testLabels) },
    counts: {
      nKnownNormal: knownNormal.length,
      nUnlabeledNormal: unlabeledNormal.length,
      nUnlabeledOutlier: unlabeledOutlier.length,
      nKnownOutlier: knownOutlier.length,
      target,
      nTrain: trainIdx.length,
      nTest: testIdx.length,
      nTestNormal: testIdx.length - nTestAnomalous,
      nTestAnomalous,
      perClass,
    },
  };
}
