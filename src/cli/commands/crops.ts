import type { Command } from 'commander';
import { INSULATOR_CLASSES } from '../../core/data/insulator';
import { int, num } from '../cli-options';
import { CliError } from '../errors';
import { modelJsonPath, readMetadataBeside } from '../model-dir';
import type { CropsOptions } from './crops-run';

interface RawCropsOptions {
  annotations?: string;
  images?: string;
  out?: string;
  size?: string;
  classes?: string;
  map?: string;
  model?: string;
  padding: string;
  square?: boolean;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');

/** `--map "No issues=good,Flashover damage=flashover"` → aliases, each target one of the classes. */
export function parseAliases(v: string | undefined, classes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list(v ?? '')) {
    const eq = pair.lastIndexOf('=');
    const from = pair.slice(0, eq).trim();
    const to = pair.slice(eq + 1).trim();
    if (eq <= 0 || !from || !to) throw new CliError(`--map takes CATEGORY=CLASS pairs separated by commas, got '${pair}'`);
    if (!classes.includes(to)) throw new CliError(`--map ${pair}: ${to} is not one of the classes ${classes.join(', ')}`);
    out[from] = to;
  }
  return out;
}

/** Validates the raw options; classes and size come from --classes/--size, else the model's metadata.json, else the insulator defaults. */
export async function parseCropsOptions(raw: RawCropsOptions): Promise<CropsOptions> {
  if (!raw.annotations) throw new CliError('--annotations FILE|DIR is required (COCO .json, Pascal VOC .xml, or a folder of .xml)');
  if (!raw.images) throw new CliError('--images DIR is required (the folder the annotations\' file names are relative to)');
  if (!raw.out) throw new CliError('--out DIR is required');
  const meta = raw.model ? await readMetadataBeside(await modelJsonPath(raw.model)) : undefined;
  if (raw.model && !meta?.classNames && !raw.classes) throw new CliError(`--model ${raw.model}: no metadata.json with labels beside it; give --classes`);
  const classes = raw.classes ? list(raw.classes) : (meta?.classNames ?? [...INSULATOR_CLASSES]);
  if (classes.length === 0 || new Set(classes).size !== classes.length) throw new CliError(`--classes must list distinct class names, got '${raw.classes}'`);
  const metaSize = meta?.inputSize;
  if (!raw.size && metaSize && metaSize[0] !== metaSize[1]) throw new CliError(`--model ${raw.model} takes ${metaSize[0]}×${metaSize[1]} inputs; crops are square: give --size`);
  const size = raw.size ? (int('size', raw.size, 8, 1024) as number) : (metaSize?.[0] ?? 64);
  const padding = num('padding', raw.padding) as number;
  if (padding < 0 || padding > 2) throw new CliError(`--padding must be in [0, 2] (a fraction of the box's side), got '${raw.padding}'`);
  return { annotations: raw.annotations, images: raw.images, out: raw.out, size, classes, aliases: parseAliases(raw.map, classes), padding, square: raw.square === true };
}

/** Registers `apexp crops`: a detection dataset (COCO / Pascal VOC boxes) → classifier-sized crops + truth.csv. */
export function registerCrops(program: Command): void {
  program
    .command('crops')
    .description('cut one crop per shell box out of a detection dataset (COCO JSON or Pascal VOC XML) at the classifier\'s input size; writes <image>_<annotation id>_<class>.png, truth.csv (id,class), crops.csv and crops.json into --out (new or empty); boxes of other categories (string, insulator) are skipped and counted')
    .option('--annotations <path>', 'COCO .json, Pascal VOC .xml, or a folder of VOC .xml files')
    .option('--images <dir>', 'folder the annotations\' file names are relative to')
    .option('--out <dir>', 'output directory (new or empty)')
    .option('--size <px>', 'crop side in pixels (default: the --model\'s input size, else 64)')
    .option('--classes <list>', `the classifier's class names, comma-separated (default: the --model's labels, else ${INSULATOR_CLASSES.join(',')}); categories are matched ignoring case, spaces, - and _`)
    .option('--map <pairs>', 'more category names for a class: "No issues=good,Flashover damage=flashover"')
    .option('--model <path>', 'take --classes and --size from the metadata.json beside this model.json (or its folder)')
    .option('--padding <fraction>', 'margin on each side, as a fraction of the box\'s width / height', '0.1')
    .option('--square', 'grow the shorter side of the padded box to the longer one, so crops are not stretched')
    .action(async (raw: RawCropsOptions) => {
      const o = await parseCropsOptions(raw);
      const { runCrops } = await import('./crops-run');
      const s = await runCrops(o);
      const skipped = Object.entries(s.skipped_categories).map(([k, n]) => `${n} ${k}`).join(', ');
      process.stderr.write(
        `wrote ${s.n_crops} crop(s) of ${s.n_boxes} box(es) in ${s.n_images} image(s) (${Object.entries(s.per_class).map(([k, n]) => `${n} ${k}`).join(', ')})` +
          (skipped ? `; skipped ${skipped}` : '') +
          (s.n_clipped ? `; ${s.n_clipped} clipped to the image` : '') +
          (s.outside.length ? `; ${s.outside.length} outside the image` : '') +
          (s.missing_images.length ? `; ${s.missing_images.length} image(s) unreadable` : '') +
          ` → ${o.out}\n`,
      );
    });
}
