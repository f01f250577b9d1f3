import type { Command } from 'commander';
import { detectorInputKind } from '../auditor-options';
import { addTrainingOptions, netName, trainingOverrides, type RawTrainingOptions } from '../cli-options';
import { DEFAULT_DETECTOR_INPUT } from '../../core/audit/detector-input';
import { CliError } from '../errors';

interface RawTrainOptions extends RawTrainingOptions {
  explanations?: string;
  labels?: string;
  out?: string;
  net: string;
  input: string;
}

/** Registers `apexp train`: Deep SAD on the heatmaps of explanations.jsonl, saved as a detector directory. */
export function registerTrain(program: Command): void {
  addTrainingOptions(
    program
      .command('train')
      .description('train a Deep SAD detector on Grad-CAM heatmaps (explanations.jsonl), optionally with labels.csv')
      .option('--explanations <file>', 'explanations.jsonl from apexp explain')
      .option('--labels <file>', 'labels.csv (id,label with label normal | anomalous); other ids are unlabeled')
      .option('--input <kind>', 'what Deep SAD sees: heatmap-peak (map + the image patch under its peak, in explanations.jsonl by default) or heatmap (the map alone)', DEFAULT_DETECTOR_INPUT)
      .option('--out <dir>', 'detector directory to write'),
  ).action(async (raw: RawTrainOptions) => {
    if (!raw.explanations) throw new CliError('--explanations explanations.jsonl is required');
    if (!raw.out) throw new CliError('--out DETECTOR_DIR is required');
    const o = { explanations: raw.explanations, labels: raw.labels, out: raw.out, net: netName(raw.net), input: detectorInputKind(raw.input), overrides: trainingOverrides(raw) };
    const { runTrain } = await import('./train-run');
    const r = await runTrain(o);
    process.stderr.write(`trained on ${r.n} heatmap(s) (${r.labeled} labeled) → ${o.out}\n`);
  });
}
