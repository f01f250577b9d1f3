/**
 * `npm run bench:deepsad-table`: the Deep SAD paper's MNIST and Fashion-MNIST table with `apexp deepsad`
 * (issue 13). Every normal class of both datasets, one-vs-rest, at γ_l = 0.01 and 0.05, γ_p = 0.1, k_l = 1
 * (the known-outlier class drawn per normal class and seed, deepsad-table/jobs.ts), for each seed; the
 * default `apexp deepsad` schedule unless flags say otherwise. Runs the experiments in --jobs child
 * processes (bench-lib/pool.ts; each is single-threaded wasm and seeded, so the pool changes nothing
 * but the wall time), writes bench-results/deepsad-table.json ({ settings, rows }) and prints the
 * markdown table (per-class mean AUC, dataset means next to the paper's).
 *
 * Options: --seeds 1,2 (seeds 0–99 are the table's; tuning uses ≥ 1000), --jobs N (default 2),
 * --datasets mnist,fashion-mnist, --classes 0,…,9, --ratios 0.01,0.05, --pollution 0.1,
 * --max-per-class N (smoke runs), --out FILE (bench-results/deepsad-table.json), --render-only
 * (print the table of a saved file), --schedule default|A|B|D (default: `apexp deepsad`'s schedule per network; A, B, D: issue 13's
 * candidates, jobs.ts SCHEDULES, for every job),
 * --experiments mnist:2:1:0.01,… (only these dataset:normal:known:γ_l, for tuning on seeds ≥ 1000).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { runPool, serveJob } from './bench-lib/pool';
import { parseExperiments, SCHEDULES, tableJobs, type TableDataset, type TableJob } from './deepsad-table/jobs';
import { markdownTable, summarise, type TableRow } from './deepsad-table/report';
import { runDeepSadExperiment } from '../src/cli/commands/deepsad-run';
import { experimentSteps } from '../src/core/deepsad/config';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs one experiment with the `apexp deepsad` defaults (quietly: the parent logs one line per job). */
async function runJob(job: TableJob): Promise<TableRow> {
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const r = await runDeepSadExperiment({
    dataset: job.dataset,
    net: job.dataset === 'mnist' ? 'mnist_LeNet' : 'fmnist_LeNet',
    normalClass: job.normalClass,
    knownOutlierClass: job.knownOutlierClass,
    nKnownOutlierClasses: 1,
    ratioKnownOutlier: job.ratioKnownOutlier,
    ratioKnownNormal: 0,
    ratioPollution: job.ratioPollution,
    training: {},
    steps: job.schedule ?? {},
    seed: job.seed,
    maxPerClass: job.maxPerClass,
    quiet: true,
  });
  return {
    dataset: job.dataset,
    normal_class: job.normalClass,
    known_outlier_class: job.knownOutlierClass,
    ratio_known_outlier: job.ratioKnownOutlier,
    ratio_pollution: job.ratioPollution,
    seed: job.seed,
    auc: r.auc,
    seconds: r.total_seconds,
  };
}

const list = (v: string): number[] => v.split(',').map((x) => {
  const n = Number(x);
  if (x.trim() === '' || !Number.isFinite(n)) throw new Error(`not a number list: "${v}"`);
  return n;
});

async function main(): Promise<void> {
  if (await serveJob(runJob)) return;
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '1' },
      jobs: { type: 'string', default: '2' },
      datasets: { type: 'string', default: 'mnist,fashion-mnist' },
      classes: { type: 'string', default: '0,1,2,3,4,5,6,7,8,9' },
      ratios: { type: 'string', default: '0.01,0.05' },
      pollution: { type: 'string', default: '0.1' },
      'max-per-class': { type: 'string' },
      out: { type: 'string', default: 'bench-results/deepsad-table.json' },
      'render-only': { type: 'boolean', default: false },
      schedule: { type: 'string', default: 'default' },
      experiments: { type: 'string' },
    },
  });
  const out = values.out as string;
  if (values['render-only']) {
    const saved = JSON.parse(await readFile(out, 'utf8')) as { rows: TableRow[] };
    process.stdout.write(`${markdownTable(saved.rows)}\n`);
    return;
  }
  const datasets = (values.datasets as string).split(',') as TableDataset[];
  for (const d of datasets) if (d !== 'mnist' && d !== 'fashion-mnist') throw new Error(`--datasets: unknown dataset "${d}"`);
  const parallel = Number(values.jobs);
  if (!(Number.isInteger(parallel) && parallel >= 1)) throw new Error(`--jobs must be an integer ≥ 1, got "${values.jobs}"`);
  const seeds = list(values.seeds as string);
  const maxPerClass = values['max-per-class'] ? Number(values['max-per-class']) : undefined;
  const scheduleName = values.schedule as string;
  // 'default': what `apexp deepsad` uses with each network (experimentSteps); A, B, D: one schedule for every job.
  if (scheduleName !== 'default' && scheduleName !== 'A' && scheduleName !== 'B' && scheduleName !== 'D') throw new Error(`--schedule must be default, A, B or D, got "${scheduleName}"`);
  const schedule = scheduleName === 'default' ? undefined : SCHEDULES[scheduleName];
  const jobs = values.experiments
    ? parseExperiments(values.experiments as string, { seeds, ratioPollution: Number(values.pollution), maxPerClass, schedule })
    : tableJobs({ datasets, classes: list(values.classes as string), ratiosKnownOutlier: list(values.ratios as string), ratioPollution: Number(values.pollution), seeds, maxPerClass, schedule });
  log(`deepsad-table: ${jobs.length} experiments, ${Math.min(parallel, jobs.length)} at a time`);
  const t0 = performance.now();
  let done = 0;
  // Each row also goes to OUT.partial.jsonl as it arrives, so an interrupted run keeps what it finished.
  const partial = `${out.replace(/\.json$/, '')}.partial.jsonl`;
  await mkdir(dirname(out), { recursive: true });
  await writeFile(partial, '');
  const results = await runPool(jobs, {
    parallel,
    script: process.argv[1],
    run: runJob,
    name: (j) => `${j.dataset} normal ${j.normalClass} known ${j.knownOutlierClass} γ_l ${j.ratioKnownOutlier} seed ${j.seed}`,
    onResult: (r: TableRow) => {
      done++;
      appendFileSync(partial, `${JSON.stringify(r)}\n`);
      log(`[${done}/${jobs.length}] ${r.dataset} normal ${r.normal_class} known ${r.known_outlier_class} γ_l ${r.ratio_known_outlier} seed ${r.seed}: AUC ${r.auc.toFixed(4)} (${r.seconds.toFixed(0)} s; ${((performance.now() - t0) / 60000).toFixed(1)} min so far)`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const settings = {
    command: `npm run bench:deepsad-table -- --seeds ${seeds.join(',')} --jobs ${parallel} --schedule ${scheduleName}${values.experiments ? ` --experiments ${values.experiments as string}` : ''}${maxPerClass ? ` --max-per-class ${maxPerClass}` : ''}`,
    datasets,
    seeds,
    ratios_known_outlier: list(values.ratios as string),
    ratio_pollution: Number(values.pollution),
    n_known_outlier_classes: 1,
    known_outlier_class: 'drawn per (dataset, normal class, seed) uniformly from the nine anomaly classes',
    schedule_name: scheduleName,
    schedule: schedule ?? { mnist_LeNet: experimentSteps('mnist_LeNet'), fmnist_LeNet: experimentSteps('fmnist_LeNet') },
    max_per_class: maxPerClass ?? null,
    jobs: parallel,
    wall_seconds: Math.round(seconds),
    summary: summarise(results),
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ settings, rows: results }, null, 2)}\n`);
  log(`wrote ${out} (${jobs.length} experiments in ${(seconds / 60).toFixed(1)} min)`);
  process.stdout.write(`${markdownTable(results)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-deepsad-table: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
