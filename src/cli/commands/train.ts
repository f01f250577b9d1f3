import type { Command } from 'commander';
import { detectorInputKind } from '../auditor-options';
import { addTrainingOptions, heatmapSize, netName, trainingOverrides, type RawTrainingOptions } from '../cli-options';
import { CliError } from '../errors';

interface RawTrainOptions extends RawTrainingOptions {
  explanations?: string;
  ids?: string;
  size: string;
  labels?: string;
  out?: string;
  net: string;
  input?: string;
}

/** Help text of the heatmap sources train, score and audit read. */
export const HEATMAPS_HELP = 'explanations.jsonl from apexp explain, a folder of grayscale heatmap PNGs (any size; ids = paths relative to it), or a .npy array [N, H, W] (ids from --ids)';
/** Help text of --ids. */
export const IDS_HELP = 'ids of a .npy\'s maps, one per line, in its order (default: ids.txt beside the .npy)';

/** Registers `apexp train`: Deep SAD on the heatmaps of explanations.jsonl, saved as a detector directory. */
export function registerTrain(program: Command): void {
  addTrainingOptions(
    program
      .command('train')
      .description('train a Deep SAD detector on heatmaps (explanations.jsonl, or maps made elsewhere as PNGs or .npy), optionally with labels.csv')
      .option('--explanations <path>', HEATMAPS_HELP)
      .option('--ids <file>', IDS_HELP)
      .option('--size <N|HxW>', 'side PNG and .npy maps are resized to (the LeNet takes 32)', '32')
      .option('--labels <file>', 'labels.csv (id,label with label normal | anomalous); other ids are unlabeled')
      .option('--input <kind>', `what Deep SAD sees: heatmap-peak (map + the image patch under its peak; the default for explanations.jsonl) or heatmap (the map alone; the default for PNG and .npy maps, which carry no patches)`)
      .option('--out <dir>', 'detector directory to write'),
  ).action(async (raw: RawTrainOptions) => {
    if (!raw.explanations) throw new CliError('--explanations PATH (explanations.jsonl, a PNG folder or a .npy) is required');
    if (!raw.out) throw new CliError('--out DETECTOR_DIR is required');
    const o = { explanations: raw.explanations, ids: raw.ids, size: heatmapSize(raw.size), labels: raw.labels, out: raw.out, net: netName(raw.net), input: raw.input === undefined ? undefined : detectorInputKind(raw.input), overrides: trainingOverrides(raw) };
    const { runTrain } = await import('./train-run');
    const r = await runTrain(o);
    process.stderr.write(`trained on ${r.n} heatmap(s) (${r.labeled} labeled, input ${r.input}${r.skipped ? `; skipped ${r.skipped}` : ''}) → ${o.out}\n`);
  });
}
