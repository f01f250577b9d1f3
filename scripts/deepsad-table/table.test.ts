import { describe, expect, it } from 'vitest';
import { drawKnownOutlierClass, parseExperiments, SCHEDULES, tableJobs } from './jobs';
import { markdownTable, summarise, type TableRow } from './report';

describe('deepsad-table jobs', () => {
  it('draws a known-outlier class other than the normal one, uniformly enough, the same for the same key', () => {
    for (const d of ['mnist', 'fashion-mnist'] as const) {
      for (let c = 0; c < 10; c++) {
        const seen = new Set<number>();
        for (let s = 0; s < 200; s++) {
          const k = drawKnownOutlierClass(d, c, s);
          expect(k).not.toBe(c);
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThan(10);
          expect(drawKnownOutlierClass(d, c, s)).toBe(k);
          seen.add(k);
        }
        expect(seen.size).toBe(9);
      }
    }
  });

  it('lists Fashion-MNIST first, both γ_l of a (class, seed) with the same known class', () => {
    const jobs = tableJobs({ datasets: ['mnist', 'fashion-mnist'], classes: [0, 1], ratiosKnownOutlier: [0.01, 0.05], ratioPollution: 0.1, seeds: [1, 2] });
    expect(jobs).toHaveLength(16);
    expect(jobs.slice(0, 8).every((j) => j.dataset === 'fashion-mnist')).toBe(true);
    expect(jobs[0]).toMatchObject({ dataset: 'fashion-mnist', normalClass: 0, seed: 1, ratioKnownOutlier: 0.01, ratioPollution: 0.1 });
    expect(jobs[1]).toMatchObject({ normalClass: 0, seed: 1, ratioKnownOutlier: 0.05, knownOutlierClass: jobs[0].knownOutlierClass });
    expect(jobs[0]).not.toHaveProperty('maxPerClass');
  });

  it('takes explicit experiments (the tuning set) per seed, with the schedule, and refuses a malformed one', () => {
    const jobs = parseExperiments('mnist:2:1:0.01,fashion-mnist:6:0:0.05', { seeds: [1001, 1002], ratioPollution: 0.1, schedule: SCHEDULES.B });
    expect(jobs).toHaveLength(4);
    expect(jobs[1]).toMatchObject({ dataset: 'mnist', normalClass: 2, knownOutlierClass: 1, ratioKnownOutlier: 0.01, seed: 1002, schedule: { lr: 1e-4, steps: 350 } });
    expect(jobs[3]).toMatchObject({ dataset: 'fashion-mnist', normalClass: 6, knownOutlierClass: 0, ratioKnownOutlier: 0.05, seed: 1002 });
    for (const bad of ['mnist:2:2:0.01', 'cifar:2:1:0.01', 'mnist:2:1', 'mnist:10:1:0.01', 'mnist:2:1:1.5']) {
      expect(() => parseExperiments(bad, { seeds: [1], ratioPollution: 0.1 })).toThrow(/--experiments/);
    }
  });
});

describe('deepsad-table report', () => {
  const row = (dataset: TableRow['dataset'], c: number, gl: number, seed: number, auc: number): TableRow => ({
    dataset, normal_class: c, known_outlier_class: (c + 1) % 10, ratio_known_outlier: gl, ratio_pollution: 0.1, seed, auc, seconds: 1,
  });
  const rows = [row('mnist', 0, 0.01, 1, 0.9), row('mnist', 0, 0.01, 2, 0.8), row('mnist', 1, 0.01, 1, 0.99), row('mnist', 0, 0.05, 1, 0.95)];

  it('averages per (dataset, γ_l) and per class, with the paper mean alongside', () => {
    const [a, b] = summarise(rows);
    expect(a).toMatchObject({ dataset: 'mnist', ratio_known_outlier: 0.01, runs: 3, paper_mean: 96.4 });
    expect(a.mean).toBeCloseTo(0.8966667, 6); // over the runs, as the paper's mean over its experiments
    expect(a.std).toBeCloseTo(0.0950438, 6); // sample std of 0.9, 0.8, 0.99
    expect(a.per_class).toEqual([{ normal_class: 0, mean: expect.closeTo(0.85, 10), runs: 2 }, { normal_class: 1, mean: 0.99, runs: 1 }]);
    expect(b).toMatchObject({ ratio_known_outlier: 0.05, runs: 1, mean: 0.95, std: 0, paper_mean: 96.7 });
  });

  it('renders one line per class, the means, the paper and the weakest class', () => {
    expect(markdownTable(rows)).toBe([
      '| normal class | mnist γ_l 0.01 | mnist γ_l 0.05 |',
      '|---|---|---|',
      '| 0 | 85.0 | 95.0 |',
      '| 1 | 99.0 | – |',
      '| **mean ± std** | **89.7** ± 9.5 | **95.0** ± 0.0 |',
      '| paper (Ruff et al. 2020) | 96.4 | 96.7 |',
      '| weakest class | 0: 85.0 | 0: 95.0 |',
    ].join('\n'));
  });
});
