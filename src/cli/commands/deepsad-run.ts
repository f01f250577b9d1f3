/**
 * The body of `apexp deepsad`, loaded lazily (it pulls in tfjs and the wasm backend, which `--help`
 * and the other commands do not need).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchesPerEpoch, defaultConfig, experimentSteps, validateConfig, withStepSchedule } from '../../core/deepsad/config';
import { DeepSadConfigError, DeepSadDivergedError } from '../../core/deepsad/errors';
import { trainDeepSad } from '../../core/deepsad/train';
import type { DeepSadConfig, DeepSadDetector, TrainEvent } from '../../core/deepsad/types';
import { createExperimentSplit, ExperimentSplitError, type ExperimentSplitCounts } from '../../core/data/experiment-split';
import { averagePrecision, rocAuc } from '../../core/metrics';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { gatherImages, loadDataset } from '../datasets';
import { saveDetectorDir } from '../detector-dir';
import { CliError } from '../errors';
import { createProgress, type Progress } from '../progress';
import { TEST_FRACTION, type DeepSadExperimentOptions } from './deepsad';

/** The JSON line `apexp deepsad` prints (snake_case, as the seed's logs and config.json). */
export interface DeepSadResult {
  /** ROC AUC on the held-out test set (anomaly = positive), as sklearn's roc_auc_score. */
  auc: number;
  /** Average precision on the same scores. */
  average_precision: number;
  /** Wall seconds of autoencoder pretraining, Deep SAD training, and scoring the test set. */
  pretrain_seconds: number;
  train_seconds: number;
  test_seconds: number;
  /** Everything from loading the data to the end of scoring. */
  total_seconds: number;
  dataset: string;
  source: string;
  backend: string;
  /** Every option, resolved (defaults filled in), under the seed's names. */
  options: Record<string, unknown>;
  split: ExperimentSplitCounts & { test_fraction: number; known_outlier_classes: number[]; protocol: string };
  /** Mean batch loss per epoch. */
  losses: { pretrain: number[]; train: number[] };
  out?: string;
}

/** The labelled-anomaly classes: one named class, or (k > 1) a seeded sample of k anomaly classes as the seed does. */
export function knownOutlierClasses(o: Pick<DeepSadExperimentOptions, 'nKnownOutlierClasses' | 'knownOutlierClass' | 'normalClass' | 'seed'>): number[] {
  if (o.nKnownOutlierClasses === 0) return [];
  if (o.nKnownOutlierClasses === 1) return [o.knownOutlierClass];
  const pool = Array.from({ length: 10 }, (_, c) => c).filter((c) => c !== o.normalClass);
  let s = (o.seed ^ 0x5bd1e995) >>> 0;
  for (let i = pool.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, o.nKnownOutlierClasses).sort((a, b) => a - b);
}

/**
 * The training config of an experiment on `nTrain` training images: the engine's defaults, the step
 * schedule (`experimentSteps(net)`, or `--n-steps` / `--ae-n-steps`) turned into epochs for this training set,
 * then the flags. A stage given in epochs (`--n-epochs`, `--ae-n-epochs`) takes its milestones from the
 * flags only, as the seed's main.py does.
 * @throws CliError for a bad config
 */
export function experimentConfig(o: Pick<DeepSadExperimentOptions, 'net' | 'training' | 'steps' | 'seed'>, inputShape: [number, number, number], nTrain: number): DeepSadConfig {
  const t = o.training;
  try {
    const base = { ...defaultConfig(o.net, inputShape), ...(t.batchSize !== undefined ? { batchSize: t.batchSize } : {}), ...(t.aeBatchSize !== undefined ? { aeBatchSize: t.aeBatchSize } : {}) };
    const stepped = withStepSchedule(base, nTrain, { ...experimentSteps(o.net), ...o.steps });
    const cfg = { ...stepped, ...(t.nEpochs !== undefined ? { lrMilestones: [] } : {}), ...(t.aeNEpochs !== undefined ? { aeLrMilestones: [] } : {}), ...t, seed: o.seed };
    return validateConfig(cfg);
  } catch (err) {
    if (err instanceof DeepSadConfigError) throw new CliError(err.message);
    throw err;
  }
}

/** The optimizer steps a stage of `epochs` epochs makes on `n` samples. */
function stepsOf(epochs: number, n: number, batchSize: number): number {
  return epochs * batchesPerEpoch(n, batchSize);
}

function resolvedOptions(o: DeepSadExperimentOptions, cfg: DeepSadConfig, nTrain: number): Record<string, unknown> {
  return {
    dataset_name: o.dataset,
    net_name: cfg.net,
    normal_class: o.normalClass,
    known_outlier_class: o.knownOutlierClass,
    n_known_outlier_classes: o.nKnownOutlierClasses,
    ratio_known_normal: o.ratioKnownNormal,
    ratio_known_outlier: o.ratioKnownOutlier,
    ratio_pollution: o.ratioPollution,
    eta: cfg.eta,
    optimizer_name: 'adam',
    lr: cfg.lr,
    n_epochs: cfg.nEpochs,
    lr_milestone: cfg.lrMilestones,
    batch_size: cfg.batchSize,
    weight_decay: cfg.weightDecay,
    pretrain: cfg.pretrain,
    ae_optimizer_name: 'adam',
    ae_lr: cfg.aeLr,
    ae_n_epochs: cfg.aeNEpochs,
    ae_lr_milestone: cfg.aeLrMilestones,
    ae_batch_size: cfg.aeBatchSize,
    ae_weight_decay: cfg.aeWeightDecay,
    // what the epochs above amount to on this training set
    n_steps: stepsOf(cfg.nEpochs, nTrain, cfg.batchSize),
    ae_n_steps: cfg.pretrain ? stepsOf(cfg.aeNEpochs, nTrain, cfg.aeBatchSize) : 0,
    seed: o.seed,
    max_per_class: o.maxPerClass ?? null,
    test_fraction: TEST_FRACTION,
    out: o.out ?? null,
  };
}

/** Reports each stage as one bar over all its batches (epochs × batches per epoch), and one line per epoch. */
function trainingReporter(cfg: DeepSadConfig): { onBatch: (stage: TrainEvent['stage'], done: number, total: number) => void; onEpoch: (e: TrainEvent) => void; close: () => void } {
  const epochs = { pretrain: cfg.aeNEpochs, train: cfg.nEpochs };
  let bar: Progress | null = null;
  let barStage: TrainEvent['stage'] | null = null;
  return {
    onBatch(stage, _done, total) {
      if (barStage !== stage) {
        bar?.done();
        bar = createProgress({ label: stage, total: epochs[stage] * total });
        barStage = stage;
      }
      bar?.tick();
    },
    onEpoch(e) {
      const line = `${e.stage} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} (${e.seconds.toFixed(1)} s)`;
      if (bar) {
        bar.log(line);
        bar.tick(0, `epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)}`);
      } else process.stderr.write(`${line}\n`);
    },
    close() {
      bar?.done();
    },
  };
}

/**
 * Runs the experiment: load the images, split (30% of every class held out, the reference
 * `create_semisupervised_setting` on the rest), train Deep SAD on the wasm backend, score the test set.
 * @throws CliError for bad settings (bad net/config, unsolvable ratios, unwritable --out) and divergence
 */
export async function runDeepSadExperiment(o: DeepSadExperimentOptions): Promise<DeepSadResult> {
  const t0 = performance.now();
  const inputShape: [number, number, number] = o.net === 'mlp' ? [1, 1, 784] : [28, 28, 1];
  // Checked before loading anything (bad flags fail fast); the step schedule needs the training set's size.
  experimentConfig(o, inputShape, 1);
  const data = await loadDataset(o.dataset, { maxPerClass: o.maxPerClass });
  const known = knownOutlierClasses(o);
  let split;
  try {
    split = createExperimentSplit({
      classSizes: data.classSizes,
      normalClasses: [o.normalClass],
      knownOutlierClasses: known,
      ratioKnownNormal: o.ratioKnownNormal,
      ratioKnownOutlier: o.ratioKnownOutlier,
      ratioPollution: o.ratioPollution,
      testFraction: TEST_FRACTION,
      seed: o.seed,
    });
  } catch (err) {
    if (err instanceof ExperimentSplitError) throw new CliError(err.message);
    throw err;
  }
  const cfg = experimentConfig(o, inputShape, split.counts.nTrain);
  const backend = await selectBackend(NODE_BACKENDS);
  if (!o.quiet) process.stderr.write(
    `deepsad: ${o.dataset}, normal class ${o.normalClass}: ${split.counts.nTrain} training images ` +
      `(${split.counts.nKnownOutlier} labelled anomalies, ${split.counts.nUnlabeledOutlier} unlabelled), ` +
      `${split.counts.nTest} test images; ${cfg.net} on the ${backend} backend\n`,
  );

  const losses: DeepSadResult['losses'] = { pretrain: [], train: [] };
  const seconds = { pretrain: 0, train: 0 };
  const reporter = o.quiet ? { onBatch: () => undefined, onEpoch: () => undefined, close: () => undefined } : trainingReporter(cfg);
  let detector: DeepSadDetector;
  try {
    detector = await trainDeepSad(
      { x: gatherImages(data, split.train.indices), n: split.train.indices.length, semiTargets: split.train.semiTargets },
      cfg,
      {
        onBatch: reporter.onBatch,
        onEpoch: (e) => {
          losses[e.stage].push(e.loss);
          seconds[e.stage] += e.seconds;
          reporter.onEpoch(e);
        },
      },
    );
  } catch (err) {
    if (err instanceof DeepSadDivergedError) {
      err.detector.dispose();
      throw new CliError(`${err.message} (try a smaller --lr / --ae-lr)`, 1);
    }
    throw err;
  } finally {
    reporter.close();
  }
  try {
    const tTest = performance.now();
    const scores = await detector.score(gatherImages(data, split.test.indices), split.test.indices.length);
    const testSeconds = (performance.now() - tTest) / 1000;
    const result: DeepSadResult = {
      auc: rocAuc(scores, split.test.labels),
      average_precision: averagePrecision(scores, split.test.labels),
      pretrain_seconds: round(seconds.pretrain),
      train_seconds: round(seconds.train),
      test_seconds: round(testSeconds),
      total_seconds: round((performance.now() - t0) / 1000),
      dataset: o.dataset,
      source: data.source,
      backend: tf.getBackend(),
      options: resolvedOptions(o, cfg, split.counts.nTrain),
      split: {
        ...split.counts,
        test_fraction: TEST_FRACTION,
        known_outlier_classes: known,
        protocol: `per class a seeded ${Math.round(TEST_FRACTION * 100)}% held out for testing; training set from the rest by Deep-SAD-PyTorch create_semisupervised_setting`,
      },
      losses,
    };
    if (o.out) {
      await saveDetectorDir(o.out, detector);
      await writeFile(join(o.out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
      result.out = o.out;
    }
    return result;
  } finally {
    detector.dispose();
  }
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
