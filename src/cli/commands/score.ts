import type { Command } from 'commander';
import { CliError } from '../errors';

/** Registers `apexp score`: anomaly scores of explanations under a trained detector, as scores.csv. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score explanations.jsonl with a trained detector into scores.csv (id,score; higher = more anomalous)')
    .option('--detector <dir>', 'detector directory from apexp train')
    .option('--explanations <file>', 'explanations.jsonl from apexp explain')
    .option('--out <file>', 'scores.csv to write')
    .action(async (raw: { detector?: string; explanations?: string; out?: string }) => {
      if (!raw.detector) throw new CliError('--detector DETECTOR_DIR is required');
      if (!raw.explanations) throw new CliError('--explanations explanations.jsonl is required');
      if (!raw.out) throw new CliError('--out scores.csv is required');
      const { runScore } = await import('./train-run');
      const n = await runScore({ detector: raw.detector, explanations: raw.explanations, out: raw.out });
      process.stderr.write(`scored ${n} explanation(s) → ${raw.out}\n`);
    });
}
