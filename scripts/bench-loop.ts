/**
 * `npm run bench:loop`: the live loop's value in one curve (issue 12). For each seed and bundled
 * classifier, an analyst audits the unbiased test split (n images, explained as the app does): each
 * round it reviews 10 images and labels them from the counterfactual ground truth
 * (scripts/bench-lib/truth.ts), for 10 rounds. Strategies: the APEXP loop as the app runs it (the
 * auditor's ranking, the bounded update after each round), the loop with half of each round taken
 * from the label-next picks, the loop with a full retraining each round (what the bounded update is
 * measured against), the auditor's ranking before any label (when it learns from labels: its prior,
 * Deep SAD and confidence combined), Deep SAD without labels, max-softmax confidence, random (expected value).
 * Writes bench-results/loop.json and the "The live loop" section of BENCHMARKS.md.
 *
 *   npm run bench:loop                         # test seeds 1…3, both classifiers
 *   npm run bench:loop -- --seed 2 --seeds 1   # one seed
 *   npm run bench:loop -- --seed 1001 --seeds 3 --n 6000 --variants v0c0e1,v0.5c0e1   # tuning only (seeds ≥ 1000)
 * Options: --n N (13500: the audit benchmark's test size, bench-results/truth-counts.md), --rounds R (10), --per-round K (10), --models a,b, --jobs J, --no-full (skip
 * the full-retrain strategy), --no-markdown. Deterministic per job (wasm, one thread); sessions are
 * cached in bench-results/tmp.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_AUDITOR_SETTINGS } from '../src/core/audit/settings';
import { runPool, serveJob } from './bench-lib/pool';
import { replaceSection } from './bench-lib/markdown';
import { loadBundledClassifier } from './bench-lib/classifier';
import { cachedSession } from './bench-loop/session';
import { descending, loopCurve, randomCurve, staticCurve, trainBase, type Curve, type Strategy } from './bench-loop/simulate';
import { loopMarkdown, summarise, type LoopRun } from './bench-loop/report';
import { variantSettings } from './bench-loop/variants';

const TEST_SEEDS = [1, 3] as const;

interface LoopJob {
  seed: number;
  classifier: string;
  n: number;
  rounds: number;
  perRound: number;
  full: boolean;
  /** Tuning: these variants' `loop` curves only. */
  variants: string[] | null;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function runJob(job: LoopJob): Promise<LoopRun> {
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const t0 = performance.now();
  const el = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const before = tf.memory().numTensors;
  const s = await cachedSession(join('bench-results', 'tmp'), job.classifier, () => loadBundledClassifier(join('public', 'models'), job.classifier), job.seed, job.n);
  const count = (v: Uint8Array) => v.reduce((a, b) => a + b, 0);
  const run: LoopRun = { seed: job.seed, classifier: job.classifier, n_test: s.n, n_anomalies: count(s.truth.anomalous), n_shortcut: count(s.truth.shortcut), strategies: {}, seconds: {} };
  log(`seed ${job.seed} ${job.classifier}: ${s.n} images, ${run.n_anomalies} anomalous (${run.n_shortcut} shortcut) (${el()})`);
  const timed = async (name: string, f: () => Promise<Curve> | Curve): Promise<void> => {
    const t = performance.now();
    run.strategies[name] = await f();
    run.seconds[name] = Math.round((performance.now() - t) / 1000);
    log(`seed ${job.seed} ${job.classifier} ${name}: found ${run.strategies[name].found.at(-1)?.toFixed(1)} (shortcut ${run.strategies[name].shortcut_found.at(-1)?.toFixed(1)}) (${el()})`);
  };
  const bases = new Map<number, Awaited<ReturnType<typeof trainBase>>>();
  const baseFor = async (settings: typeof DEFAULT_AUDITOR_SETTINGS) => {
    if (!bases.has(settings.ensemble)) bases.set(settings.ensemble, await trainBase(s, settings));
    return bases.get(settings.ensemble)!;
  };
  if (job.variants) {
    for (const v of job.variants) {
      const settings = variantSettings(v);
      const b = await baseFor(settings);
      await timed(v, () => loopCurve('loop', s, settings, b.bases, job.rounds, job.perRound));
    }
    // The references every variant is read against (cheap: no network pass).
    await timed('deepsad_unlabeled', async () => staticCurve(descending((await baseFor(DEFAULT_AUDITOR_SETTINGS)).unlabeled), s, job.rounds, job.perRound));
    await timed('confidence', () => staticCurve(descending(s.unconfidence), s, job.rounds, job.perRound));
    await timed('random', () => randomCurve(s, job.rounds, job.perRound));
  } else {
    const settings = DEFAULT_AUDITOR_SETTINGS;
    const b = await baseFor(settings);
    const kinds: Strategy[] = ['loop', 'loop_next', ...(job.full ? (['loop_full'] as const) : [])];
    for (const k of kinds) await timed(k, () => loopCurve(k as 'loop', s, settings, b.bases, job.rounds, job.perRound));
    if (settings.ranking.learn) await timed('ranking_unlabeled', () => staticCurve(descending(b.ranking), s, job.rounds, job.perRound));
    await timed('deepsad_unlabeled', () => staticCurve(descending(b.unlabeled), s, job.rounds, job.perRound));
    await timed('confidence', () => staticCurve(descending(s.unconfidence), s, job.rounds, job.perRound));
    await timed('random', () => randomCurve(s, job.rounds, job.perRound));
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) log(`warning: ${leaked} tensors leaked in seed ${job.seed} ${job.classifier}`);
  return run;
}

async function main(): Promise<void> {
  if (await serveJob(runJob)) return;
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      seeds: { type: 'string', default: '3' },
      n: { type: 'string', default: '13500' },
      rounds: { type: 'string', default: '10' },
      'per-round': { type: 'string', default: '10' },
      models: { type: 'string', default: 'vgg_small,resnet_small' },
      jobs: { type: 'string', default: String(availableParallelism()) },
      'no-full': { type: 'boolean', default: false },
      'no-markdown': { type: 'boolean', default: false },
      variants: { type: 'string' },
    },
  });
  const [seed0, nSeeds, n, rounds, perRound, parallel] = [values.seed, values.seeds, values.n, values.rounds, values['per-round'], values.jobs].map(Number);
  const variants = values.variants ? values.variants.split(',') : null;
  variants?.forEach(variantSettings);
  if (variants && seed0 <= TEST_SEEDS[1] && seed0 + nSeeds - 1 >= TEST_SEEDS[0]) throw new Error(`--variants is for tuning: use seeds outside the test seeds ${TEST_SEEDS.join('…')} (e.g. --seed 1001)`);
  const jobs: LoopJob[] = [];
  for (let sd = seed0; sd < seed0 + nSeeds; sd++) for (const classifier of values.models.split(',')) jobs.push({ seed: sd, classifier, n, rounds, perRound, full: !values['no-full'], variants });
  const t0 = performance.now();
  const runs = await runPool(jobs, { parallel, script: process.argv[1], run: runJob, name: (j) => `seed ${j.seed} ${j.classifier}` });
  const seconds = Math.round((performance.now() - t0) / 1000);
  log(`${jobs.length} jobs in ${seconds} s`);
  await mkdir('bench-results', { recursive: true });
  const command = `npm run bench:loop -- --seed ${seed0} --seeds ${nSeeds} --n ${n}${variants ? ` --variants ${variants.join(',')}` : ''}${values['no-full'] ? ' --no-full' : ''}`;
  const json = summarise(runs, { seeds: jobs.map((j) => j.seed).filter((x, i, a) => a.indexOf(x) === i), rounds, perRound, seconds, command });
  const file = variants ? join('bench-results', `loop-validation-${seed0}-${seed0 + nSeeds - 1}.json`) : join('bench-results', 'loop.json');
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${file}`);
  const md = loopMarkdown(json);
  process.stdout.write(`${md}\n`);
  if (!variants && !values['no-markdown']) await replaceSection('BENCHMARKS.md', '## The live loop', md);
}


main().catch((err: unknown) => {
  process.stderr.write(`bench-loop: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
