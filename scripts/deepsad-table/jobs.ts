/**
 * The jobs of `npm run bench:deepsad-table`: every normal class of MNIST and Fashion-MNIST, one-vs-rest,
 * at each γ_l, for each seed, with k_l = 1 known-outlier class drawn at random from the nine anomaly
 * classes. The paper runs all nine known-outlier classes per normal class (90 experiments per dataset
 * and γ_l) and reports the mean; drawing one per (normal class, seed) samples the same population.
 */
import { EXPERIMENT_STEPS, type StepSchedule } from '../../src/core/deepsad/config';
import { createRng } from '../../src/core/random';

export type TableDataset = 'mnist' | 'fashion-mnist';

/** One experiment of the table. */
export interface TableJob {
  dataset: TableDataset;
  normalClass: number;
  knownOutlierClass: number;
  ratioKnownOutlier: number;
  ratioPollution: number;
  seed: number;
  /** Use only the first N images per class (smoke runs); absent = the whole package. */
  maxPerClass?: number;
  /** The optimizer-step schedule; absent = the `apexp deepsad` default ({@link EXPERIMENT_STEPS}). */
  schedule?: StepSchedule;
}

/**
 * The step schedules compared by issue 13's decision rule (BENCHMARKS "Issue 13"): (A) the default, (B) a
 * lower Deep SAD lr with about twice the steps; rule 2's (D). `--schedule A|B|D` of the table script picks one.
 */
export const SCHEDULES: Readonly<Record<'A' | 'B' | 'D', StepSchedule>> = {
  A: EXPERIMENT_STEPS,
  B: { aeSteps: 130, aeLr: 1e-3, steps: 350, lr: 1e-4, lrDropAt: 3 / 4 },
  // Rule 2 (BENCHMARKS): (A)'s steps and cost with (B)'s Deep SAD lr.
  D: { aeSteps: 90, aeLr: 1e-3, steps: 180, lr: 1e-4, lrDropAt: 2 / 3 },
};

/**
 * Explicit experiments `dataset:normal:known:γ_l` (comma-separated), e.g. the tuning set of the decision rule
 * `mnist:2:1:0.01,fashion-mnist:0:1:0.05`: one job per experiment and seed instead of the whole table.
 */
export function parseExperiments(spec: string, o: { seeds: readonly number[]; ratioPollution: number; maxPerClass?: number; schedule?: StepSchedule }): TableJob[] {
  const jobs: TableJob[] = [];
  for (const item of spec.split(',')) {
    const [dataset, normal, known, ratio] = item.split(':');
    const normalClass = Number(normal);
    const knownOutlierClass = Number(known);
    const ratioKnownOutlier = Number(ratio);
    const digit = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 9;
    if ((dataset !== 'mnist' && dataset !== 'fashion-mnist') || !digit(normalClass) || !digit(knownOutlierClass) || normalClass === knownOutlierClass || !(ratioKnownOutlier >= 0 && ratioKnownOutlier < 1)) {
      throw new Error(`--experiments: "${item}" is not dataset:normal:known:γ_l (e.g. mnist:2:1:0.01)`);
    }
    for (const seed of o.seeds) {
      jobs.push({ dataset, normalClass, knownOutlierClass, ratioKnownOutlier, ratioPollution: o.ratioPollution, seed, ...(o.maxPerClass ? { maxPerClass: o.maxPerClass } : {}), ...(o.schedule ? { schedule: o.schedule } : {}) });
    }
  }
  return jobs;
}

/** Options of {@link tableJobs}. */
export interface TableJobOptions {
  datasets: readonly TableDataset[];
  classes: readonly number[];
  ratiosKnownOutlier: readonly number[];
  ratioPollution: number;
  seeds: readonly number[];
  maxPerClass?: number;
  schedule?: StepSchedule;
}

/**
 * The known-outlier class of (dataset, normal class, seed): uniform over the nine other classes, from a
 * generator seeded by all three, so both γ_l of a (class, seed) use the same one and a seed list gives
 * the same draws in any order.
 */
export function drawKnownOutlierClass(dataset: TableDataset, normalClass: number, seed: number): number {
  const rng = createRng(((seed >>> 0) * 7919 + normalClass * 104729 + (dataset === 'mnist' ? 0 : 15485863)) >>> 0);
  rng();
  const k = Math.floor(rng() * 9);
  return k < normalClass ? k : k + 1;
}

/**
 * Every job, Fashion-MNIST first (its runs are the longest: a pool of 2 packs better when they start
 * first), then by class, seed and γ_l.
 */
export function tableJobs(o: TableJobOptions): TableJob[] {
  const order = [...o.datasets].sort((a, b) => (a === b ? 0 : a === 'fashion-mnist' ? -1 : 1));
  const jobs: TableJob[] = [];
  for (const dataset of order) {
    for (const normalClass of o.classes) {
      for (const seed of o.seeds) {
        const knownOutlierClass = drawKnownOutlierClass(dataset, normalClass, seed);
        for (const ratioKnownOutlier of o.ratiosKnownOutlier) {
          jobs.push({ dataset, normalClass, knownOutlierClass, ratioKnownOutlier, ratioPollution: o.ratioPollution, seed, ...(o.maxPerClass ? { maxPerClass: o.maxPerClass } : {}), ...(o.schedule ? { schedule: o.schedule } : {}) });
        }
      }
    }
  }
  return jobs;
}
