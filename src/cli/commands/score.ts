import type { Command } from 'commander';
import { heatmapSize } from '../cli-options';
import { CliError } from '../errors';
import { HEATMAPS_HELP, IDS_HELP } from './train';

/** Registers `apexp score`: anomaly scores of explanations under a trained detector, as scores.csv. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score heatmaps (explanations.jsonl, or maps made elsewhere as PNGs or .npy) with a trained detector into scores.csv (id,score; higher = more anomalous)')
    .option('--detector <dir>', 'detector directory from apexp train')
    .option('--explanations <path>', HEATMAPS_HELP)
    .option('--ids <file>', IDS_HELP)
    .option('--size <N|HxW>', 'side PNG and .npy maps are resized to for an mlp detector (a LeNet detector takes its own 32)', '32')
    .option('--out <file>', 'scores.csv to write')
    .action(async (raw: { detector?: string; explanations?: string; ids?: string; size: string; out?: string }) => {
      if (!raw.detector) throw new CliError('--detector DETECTOR_DIR is required');
      if (!raw.explanations) throw new CliError('--explanations PATH (explanations.jsonl, a PNG folder or a .npy) is required');
      if (!raw.out) throw new CliError('--out scores.csv is required');
      const { runScore } = await import('./train-run');
      const n = await runScore({ detector: raw.detector, explanations: raw.explanations, ids: raw.ids, size: heatmapSize(raw.size), out: raw.out });
      process.stderr.write(`scored ${n} explanation(s) → ${raw.out}\n`);
    });
}
