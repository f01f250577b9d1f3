/** `apexp audit`'s detector flags: the auditor's settings (core/audit/settings.ts), defaults shown from it. */
import { DEEPSAD_RANKING, DEFAULT_AUDITOR_SETTINGS, type AuditorSettings, type RankingWeights } from '../core/audit/settings';
import { DETECTOR_INPUTS, type DetectorInputKind } from '../core/audit/detector-input';
import { CliError } from './errors';

/** The flags as commander hands them over. */
export interface RawAuditorOptions {
  input: string;
  eta?: string;
  lr?: string;
  batchSize?: string;
  trainSteps?: string;
  aeSteps?: string;
  ensemble?: string;
  updateSteps?: string;
  seed?: string;
  ranking?: string;
}

/** `--ranking`: the named rankings a user can pick. */
export const RANKINGS: Readonly<Record<string, Readonly<RankingWeights>>> = { learnt: DEFAULT_AUDITOR_SETTINGS.ranking, deepsad: DEEPSAD_RANKING };

function rankingWeights(v: string | undefined): RankingWeights {
  if (v === undefined) return structuredClone(DEFAULT_AUDITOR_SETTINGS.ranking) as RankingWeights;
  const r = RANKINGS[v];
  if (!r) throw new CliError(`--ranking must be one of ${Object.keys(RANKINGS).join(', ')}, got '${v}'`);
  return structuredClone(r) as RankingWeights;
}

/** `--input heatmap-peak|heatmap`. */
export function detectorInputKind(v: string): DetectorInputKind {
  if (!(DETECTOR_INPUTS as readonly string[]).includes(v)) throw new CliError(`--input must be one of ${DETECTOR_INPUTS.join(', ')}, got '${v}'`);
  return v as DetectorInputKind;
}

function number(flag: string, v: string | undefined, fallback: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!check(x)) throw new CliError(`--${flag} must be ${what}, got '${v}'`);
  return x;
}

const positive = (x: number) => Number.isFinite(x) && x > 0;
const count = (min: number) => (x: number) => Number.isInteger(x) && x >= min;

/** The auditor settings: the defaults, then the flags. @throws CliError */
export function auditorSettings(raw: RawAuditorOptions): AuditorSettings {
  const d = DEFAULT_AUDITOR_SETTINGS;
  return {
    ...structuredClone(d),
    input: detectorInputKind(raw.input),
    eta: number('eta', raw.eta, d.eta, positive, 'a number > 0'),
    lr: number('lr', raw.lr, d.lr, positive, 'a number > 0'),
    batchSize: number('batch-size', raw.batchSize, d.batchSize, count(1), 'an integer ≥ 1'),
    trainSteps: number('train-steps', raw.trainSteps, d.trainSteps, count(0), 'an integer ≥ 0'),
    aeSteps: number('ae-steps', raw.aeSteps, d.aeSteps, count(0), 'an integer ≥ 0'),
    ensemble: number('ensemble', raw.ensemble, d.ensemble, count(1), 'an integer ≥ 1'),
    updateSteps: number('update-steps', raw.updateSteps, d.updateSteps, count(0), 'an integer ≥ 0'),
    seed: number('seed', raw.seed, d.seed, (x) => count(0)(x) && x < 2 ** 32, 'an integer in 0…2³²−1'),
    ranking: rankingWeights(raw.ranking),
  };
}

/** Adds the auditor flags to a command. */
export function addAuditorOptions<T extends { option(flags: string, description: string, defaultValue?: string): T }>(cmd: T): T {
  const d = DEFAULT_AUDITOR_SETTINGS;
  return cmd
    .option('--input <kind>', `what Deep SAD sees: heatmap-peak (the map + the image patch under its peak: tells a peak on a printed tag from one on a defect) or heatmap (the map alone)`, d.input)
    .option('--eta <x>', `η, weight of the labelled terms (default ${d.eta})`)
    .option('--lr <x>', `Adam learning rate (default ${d.lr})`)
    .option('--batch-size <n>', `batch size (default ${d.batchSize})`)
    .option('--train-steps <n>', `Deep SAD steps of the training, whatever the number of images (default ${d.trainSteps})`)
    .option('--ae-steps <n>', `autoencoder pretraining steps, 0 = none (default ${d.aeSteps})`)
    .option('--ensemble <n>', `detectors with different init seeds, combined by mean rank (default ${d.ensemble})`)
    .option('--update-steps <n>', `steps of the bounded fine-tune that applies the labels (default ${d.updateSteps})`)
    .option('--seed <n>', `seed of weight init and batch order (default ${d.seed})`)
    .option('--ranking <name>', 'learnt (default: Deep SAD, the classifier\'s unconfidence, likeness to the labels and a per-predicted-class offset, weighted as the labels bear out) or deepsad (the Deep SAD distance rank alone)');
}
