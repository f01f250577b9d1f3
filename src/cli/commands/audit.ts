import type { Command } from 'commander';
import { addAuditorOptions, auditorSettings, type RawAuditorOptions } from '../auditor-options';
import { ratio } from '../cli-options';
import { CliError } from '../errors';
import { addExplainOptions, parseExplainOptions, type RawExplainOptions } from './explain';

interface RawAuditOptions extends RawAuditorOptions, RawExplainOptions {
  labels?: string;
  truth?: string;
  budget: string;
  ratioKnownOutlier: string;
}

/** Registers `apexp audit`: the whole pipeline from images to report.json + report.md. */
export function registerAudit(program: Command): void {
  const cmd = addExplainOptions(
    program
      .command('audit')
      .description('explain every image, train Deep SAD on the explanations, apply the labels, rank, flag, compare with the baselines; writes explanations.jsonl, scores.csv, report.json, report.md and detector/ into --out'),
  )
    .option('--labels <file>', 'labels.csv (id,label normal | anomalous): the analyst\'s labels; the report says how far the detector agrees with them on labels it has not seen')
    .option('--truth <file>', 'truth.csv (id,class as index or name): accuracy, misclassified images as ground truth')
    .option('--budget <fraction>', 'review budget: flag this fraction of the unlabeled images', '0.15')
    .option('--ratio-known-outlier <r>', 'with --truth and no --labels: fraction of the misclassified images labeled as known anomalies (quality is reported on the rest)', '0.5')
    .option('--out <dir>', 'output directory');
  addAuditorOptions(cmd).action(async (raw: RawAuditOptions) => {
    if (!raw.out) throw new CliError('--out DIR is required');
    const explain = parseExplainOptions(raw);
    const o = {
      explain: { model: explain.model, images: explain.images, layer: explain.layer, method: explain.method, target: explain.target, size: explain.size, batch: explain.batch, normalize: explain.normalize, resize: explain.resize },
      labels: raw.labels,
      truth: raw.truth,
      budget: ratio('budget', raw.budget),
      ratioKnownOutlier: ratio('ratio-known-outlier', raw.ratioKnownOutlier),
      settings: auditorSettings(raw),
      out: raw.out,
    };
    const { runAudit } = await import('./audit-run');
    const r = await runAudit(o);
    const d = r.detectors.deepsad;
    process.stderr.write(
      `audited ${r.n_images} image(s): flagged ${d.flagged} of ${r.n_evaluated} evaluated (${(100 * r.flagged_fraction).toFixed(1)}%)` +
        (d.f1 !== undefined ? `, Deep SAD F1 ${d.f1.toFixed(3)} vs faithfulness ${(r.detectors.faithfulness.f1 ?? 0).toFixed(3)}` : '') +
        (r.agreement ? `; ${r.agreement.summary}` : '') +
        ` → ${o.out}\n`,
    );
  });
}
