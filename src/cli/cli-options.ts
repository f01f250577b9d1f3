/** Parsing of option values shared by explain, train, score, audit and deepsad: each bad value is a one-line CliError naming its flag. */
import { NORMALIZATIONS, type Normalization } from '../core/classifier/metadata';
import type { ResizeMode } from '../core/classifier/preprocess';
import { CAM_METHODS, isCamMethod, type CamMethod } from '../core/gradcam/cam-methods';
import { defaultConfig } from '../core/deepsad/config';
import type { DeepSadConfig, NetName } from '../core/deepsad/types';
import { CliError } from './errors';

/** A number option. */
export function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new CliError(`--${flag} must be a number, got '${v}'`);
  return x;
}

/** An integer option in [min, max]. */
export function int(flag: string, v: string | undefined, min: number, max = Infinity): number | undefined {
  const x = num(flag, v);
  if (x === undefined) return undefined;
  if (!Number.isInteger(x) || x < min || x > max) throw new CliError(`--${flag} must be an integer ${max === Infinity ? `≥ ${min}` : `in ${min}…${max}`}, got '${v}'`);
  return x;
}

/** A fraction in [0, 1]. */
export function ratio(flag: string, v: string): number {
  const x = num(flag, v) as number;
  if (x < 0 || x > 1) throw new CliError(`--${flag} must be in [0, 1], got '${v}'`);
  return x;
}

/** true/false (also 1/0, yes/no). */
export function bool(flag: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  throw new CliError(`--${flag} must be true or false, got '${v}'`);
}

/** `--target predicted|INT`. */
export function target(v: string): 'predicted' | number {
  if (v === 'predicted') return v;
  return int('target', v, 0) as number;
}

/** `--method gradcam|gradcam++|hirescam|xgradcam|layercam`. */
export function camMethod(v: string): CamMethod {
  if (!isCamMethod(v)) throw new CliError(`--method must be one of ${CAM_METHODS.join(', ')}, got '${v}'`);
  return v;
}

/** `--size N` or `--size HxW`. */
export function heatmapSize(v: string): [number, number] {
  const m = /^(\d+)(?:[x×,](\d+))?$/.exec(v.trim());
  const h = m ? Number(m[1]) : NaN;
  const w = m?.[2] ? Number(m[2]) : h;
  if (!(h >= 1 && w >= 1 && h <= 1024 && w <= 1024)) throw new CliError(`--size must be N or HxW with sides in 1…1024, got '${v}'`);
  return [h, w];
}

/** `--normalize unit|signed|imagenet|none`. */
export function normalization(v: string | undefined): Normalization | undefined {
  if (v === undefined) return undefined;
  if (!(NORMALIZATIONS as string[]).includes(v)) throw new CliError(`--normalize must be one of ${NORMALIZATIONS.join(', ')}, got '${v}'`);
  return v as Normalization;
}

/** `--resize stretch|center-crop`. */
export function resizeMode(v: string): ResizeMode {
  if (v !== 'stretch' && v !== 'center-crop') throw new CliError(`--resize must be stretch or center-crop, got '${v}'`);
  return v;
}

/** `--net lenet|mlp` (DESIGN.md) → the engine's network; the engine's own names are accepted too. */
export function netName(v: string): NetName {
  if (v === 'lenet' || v === 'heatmap_LeNet') return 'heatmap_LeNet';
  if (v === 'mlp') return 'mlp';
  throw new CliError(`--net must be lenet or mlp, got '${v}'`);
}

/** Deep SAD training settings the flags can override (the network and input shape come from elsewhere). */
export type TrainingOverrides = Partial<Omit<DeepSadConfig, 'net' | 'inputShape' | 'mlpWidths'>>;

/** Raw Deep SAD training options as commander hands them over. */
export interface RawTrainingOptions {
  eta?: string;
  lr?: string;
  nEpochs?: string;
  lrMilestone: string[];
  batchSize?: string;
  weightDecay?: string;
  pretrain?: string;
  aeLr?: string;
  aeNEpochs?: string;
  aeLrMilestone: string[];
  aeBatchSize?: string;
  aeWeightDecay?: string;
  seed?: string;
}

/** Parses the training flags into config overrides (absent flags are left out, so the engine's defaults apply). */
export function trainingOverrides(raw: RawTrainingOptions): TrainingOverrides {
  const milestones = (flag: string, list: string[]) => (list.length ? list.map((m) => int(flag, m, 1) as number) : undefined);
  const o: TrainingOverrides = {
    eta: num('eta', raw.eta),
    lr: num('lr', raw.lr),
    nEpochs: int('n-epochs', raw.nEpochs, 0),
    lrMilestones: milestones('lr-milestone', raw.lrMilestone),
    batchSize: int('batch-size', raw.batchSize, 1),
    weightDecay: num('weight-decay', raw.weightDecay),
    pretrain: bool('pretrain', raw.pretrain),
    aeLr: num('ae-lr', raw.aeLr),
    aeNEpochs: int('ae-n-epochs', raw.aeNEpochs, 0),
    aeLrMilestones: milestones('ae-lr-milestone', raw.aeLrMilestone),
    aeBatchSize: int('ae-batch-size', raw.aeBatchSize, 1),
    aeWeightDecay: num('ae-weight-decay', raw.aeWeightDecay),
    seed: int('seed', raw.seed, 0, 2 ** 32 - 1),
  };
  for (const k of Object.keys(o) as (keyof TrainingOverrides)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Commander's argument parser of a repeatable option: appends each value to the list (start it at `[]`). */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Adds the Deep SAD training options (DESIGN.md names, kebab-case) to a command; defaults shown are the engine's. */
export function addTrainingOptions<T extends { option(flags: string, description: string, fn?: unknown, defaultValue?: unknown): T }>(cmd: T): T {
  const d = defaultConfig('heatmap_LeNet', [32, 32, 1]);
  const ms = (m: number[]) => (m.length ? m.join(', ') : 'none');
  return cmd
    .option('--net <lenet|mlp>', 'detector network: lenet (heatmap_LeNet, 32×32 maps) or mlp', 'lenet')
    .option('--eta <x>', `η, weight of the labelled terms (default ${d.eta})`)
    .option('--lr <x>', `Adam learning rate (default ${d.lr})`)
    .option('--n-epochs <n>', `Deep SAD epochs (default ${d.nEpochs})`)
    .option('--lr-milestone <epoch>', `multiply the lr by 0.1 at this epoch, repeatable (default ${ms(d.lrMilestones)})`, collect, [])
    .option('--batch-size <n>', `batch size (default ${d.batchSize})`)
    .option('--weight-decay <x>', `L2 weight decay λ (default ${d.weightDecay})`)
    .option('--pretrain <bool>', `autoencoder pretraining (default ${d.pretrain})`)
    .option('--ae-lr <x>', `autoencoder learning rate (default ${d.aeLr})`)
    .option('--ae-n-epochs <n>', `autoencoder epochs (default ${d.aeNEpochs})`)
    .option('--ae-lr-milestone <epoch>', `autoencoder lr milestone, repeatable (default ${ms(d.aeLrMilestones)})`, collect, [])
    .option('--ae-batch-size <n>', `autoencoder batch size (default ${d.aeBatchSize})`)
    .option('--ae-weight-decay <x>', `autoencoder weight decay (default ${d.aeWeightDecay})`)
    .option('--seed <n>', 'seed of weight init and batch order', '0');
}
