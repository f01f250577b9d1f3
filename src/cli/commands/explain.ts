import type { Command } from 'commander';
import { camMethod, heatmapSize, int, normalization, resizeMode, target } from '../cli-options';
import { CliError } from '../errors';
import type { ExplainOptions } from './explain-run';

/** Raw `apexp explain` options as commander hands them over (also the explain part of `apexp audit`'s). */
export interface RawExplainOptions {
  model?: string;
  images?: string[];
  out?: string;
  layer?: string;
  method: string;
  target: string;
  size: string;
  batch: string;
  normalize?: string;
  resize: string;
  peakPatches?: boolean;
}

/** Validates `apexp explain` options (no I/O). @throws CliError naming the first bad flag */
export function parseExplainOptions(raw: RawExplainOptions): ExplainOptions {
  if (!raw.model) throw new CliError('--model PATH/model.json is required');
  if (!raw.images?.length) throw new CliError('--images DIR|FILE... is required');
  return {
    model: raw.model,
    images: raw.images,
    out: raw.out,
    layer: raw.layer,
    method: camMethod(raw.method),
    target: target(raw.target),
    size: heatmapSize(raw.size),
    batch: int('batch', raw.batch, 1, 4096) as number,
    normalize: normalization(raw.normalize),
    resize: resizeMode(raw.resize),
    peakPatches: raw.peakPatches !== false,
  };
}

const MODEL_HELP = 'tfjs model.json (LayersModel or GraphModel) or its directory; metadata.json beside it is read';

/** Adds the options explain and audit share; with `repeatModel`, `--model` may be given twice (commander collects them into an array). */
export function addExplainOptions(cmd: Command, repeatModel = false): Command {
  const withModel = repeatModel
    ? cmd.option('--model <path>', `${MODEL_HELP}; give it twice (--model A --model B) to audit with both and compare them`, (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    : cmd.option('--model <path>', MODEL_HELP);
  return withModel
    .option('--images <paths...>', 'image directories (walked recursively) and/or files; ids are paths relative to their common directory')
    .option('--layer <name>', 'target layer or graph node (default: the last 4-D activation)')
    .option('--method <name>', 'CAM method: gradcam, gradcam++, hirescam, xgradcam or layercam (one forward + one backward pass per batch each)', 'gradcam')
    .option('--target <predicted|INT>', 'explained class', 'predicted')
    .option('--size <N|HxW>', 'heatmap size', '32')
    .option('--batch <n>', 'images per Grad-CAM batch', '32')
    .option('--normalize <unit|signed|imagenet|none>', 'input normalisation (default: metadata.json, else unit)')
    .option('--resize <stretch|center-crop>', 'fit images to the model input', 'stretch');
}

/** Registers `apexp explain`: batched Grad-CAM of every image into explanations.jsonl. */
export function registerExplain(program: Command): void {
  addExplainOptions(program.command('explain').description('Grad-CAM heatmaps of a tfjs classifier for every image, written as explanations.jsonl'))
    .option('--out <file>', 'explanations.jsonl to write')
    .option('--no-peak-patches', 'leave out the image patch under each map\'s peak ("patch", which a map + patch detector, the default of apexp train, needs)')
    .action(async (raw: RawExplainOptions) => {
      const o = parseExplainOptions(raw);
      if (!o.out) throw new CliError('--out explanations.jsonl is required');
      const { runExplain } = await import('./explain-run');
      const r = await runExplain(o);
      process.stderr.write(`explained ${r.ids.length} image(s) with ${r.method} at layer ${r.layer} on ${r.backend}${r.skipped.length ? `; skipped ${r.skipped.length}` : ''} → ${o.out}\n`);
    });
}
