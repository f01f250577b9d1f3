import type { Command } from 'commander';
import { addTrainingOptions, deepSadInputKind, netName, ratio, trainingOverrides, type RawTrainingOptions } from '../cli-options';
import { CliError } from '../errors';
import { addExplainOptions, parseExplainOptions, type RawExplainOptions } from './explain';

interface RawAuditOptions extends RawTrainingOptions, RawExplainOptions {
  labels?: string;
  truth?: string;
  budget: string;
  ratioKnownOutlier: string;
  net: string;
  input: string;
}

/** Registers `apexp audit`: the whole pipeline from images to report.json + report.md. */
export function registerAudit(program: Command): void {
  const cmd = addExplainOptions(
    program
      .command('audit')
      .description('explain every image, train Deep SAD on the heatmaps, score, flag, compare with the faithfulness baseline; writes explanations.jsonl, scores.csv, report.json, report.md and detector/ into --out'),
  )
    .option('--labels <file>', 'labels.csv (id,label normal | anomalous): Deep SAD labels; best-F1 threshold when both kinds are present')
    .option('--truth <file>', 'truth.csv (id,class as index or name): accuracy, misclassified images as ground truth')
    .option('--budget <fraction>', 'review budget: flag this fraction of the evaluated images (without usable labels)', '0.15')
    .option('--ratio-known-outlier <r>', 'with --truth and no --labels: fraction of the misclassified images labeled as known anomalies (quality is reported on the rest)', '0.5')
    .option('--input <kind>', 'what Deep SAD sees: heatmap (the map) or heatmap-peak (the map + the image patch under its peak: tells a peak on a printed tag from one on a defect; detector/ then takes 32×32×4, and explanations.jsonl carries the patches for apexp score)', 'heatmap')
    .option('--out <dir>', 'output directory');
  addTrainingOptions(cmd).action(async (raw: RawAuditOptions) => {
    if (!raw.out) throw new CliError('--out DIR is required');
    const explain = parseExplainOptions(raw);
    const o = {
      explain: { model: explain.model, images: explain.images, layer: explain.layer, target: explain.target, size: explain.size, batch: explain.batch, normalize: explain.normalize, resize: explain.resize },
      labels: raw.labels,
      truth: raw.truth,
      budget: ratio('budget', raw.budget),
      ratioKnownOutlier: ratio('ratio-known-outlier', raw.ratioKnownOutlier),
      net: netName(raw.net),
      input: deepSadInputKind(raw.input),
      overrides: trainingOverrides(raw),
      out: raw.out,
    };
    const { runAudit } = await import('./audit-run');
    const r = await runAudit(o);
    const d = r.detectors.deepsad;
    process.stderr.write(
      `audited ${r.n_images} image(s): flagged ${d.flagged} of ${r.n_evaluated} evaluated (${(100 * r.flagged_fraction).toFixed(1)}%)` +
        (d.f1 !== undefined ? `, Deep SAD F1 ${d.f1.toFixed(3)} vs faithfulness ${(r.detectors.faithfulness.f1 ?? 0).toFixed(3)}` : '') +
        ` → ${o.out}\n`,
    );
  });
}
