import { join } from 'node:path';
import type { Command } from 'commander';
import type { AuditReport } from '../../core/audit/report';
import { addAuditorOptions, auditorSettings, type RawAuditorOptions } from '../auditor-options';
import { heatmapSize, int, ratio } from '../cli-options';
import { IDS_HELP } from './train';
import { CliError } from '../errors';
import { addExplainOptions, parseExplainOptions, type RawExplainOptions } from './explain';

interface RawAuditOptions extends RawAuditorOptions, Omit<RawExplainOptions, 'model'> {
  /** Every --model given (commander collects them). */
  model?: string[];
  labels?: string;
  truth?: string;
  budget: string;
  ratioKnownOutlier: string;
  heatmaps?: string;
  ids?: string;
  predictions?: string;
  redis?: string;
  queue: string;
  shardSize: string;
}

/** Registers `apexp audit`: the whole pipeline from images to report.json + report.md. */
export function registerAudit(program: Command): void {
  const cmd = addExplainOptions(
    program
      .command('audit')
      .description('explain every image (or read maps made elsewhere: --heatmaps), train Deep SAD on the explanations, apply the labels, rank, flag, compare with the baselines; writes explanations.jsonl (when it explains), scores.csv, report.json, report.md and detector/ into --out. With --model A --model B: each model\'s audit in --out/<model folder name>/ (the same files), plus comparison.json and comparison.md (where their flags agree and differ)'),
    true,
  )
    .option('--labels <file>', 'labels.csv (id,label normal | anomalous): the analyst\'s labels; the report says how far the detector agrees with them on labels it has not seen')
    .option('--truth <file>', 'truth.csv (id,class as index or name): accuracy, misclassified images as ground truth')
    .option('--budget <fraction>', 'review budget: flag this fraction of the unlabeled images', '0.15')
    .option('--ratio-known-outlier <r>', 'with --truth and no --labels: fraction of the misclassified images labeled as known anomalies (quality is reported on the rest)', '0.5')
    .option('--heatmaps <path>', 'audit maps made elsewhere instead of explaining with --model: a folder of grayscale heatmap PNGs (any size), a .npy [N, H, W] (ids from --ids), or explanations.jsonl; resized to --size')
    .option('--ids <file>', IDS_HELP)
    .option('--predictions <file>', 'with --heatmaps: predictions.csv (id,predicted,confidence) for the confidence baseline and, with --truth, the misclassified images')
    .option('--out <dir>', 'output directory')
    .option('--redis <url>', 'explain and score on a fleet of `apexp worker` processes over this Redis (BullMQ), e.g. redis://127.0.0.1:6379; the same files as without it. Shards done are kept beside --out until the audit is complete, so a re-run resumes')
    .option('--queue <name>', 'with --redis: the queue name (the workers\' --queue)', 'apexp')
    .option('--shard-size <k>', 'with --redis: images per shard (one job)', '64');
  addAuditorOptions(cmd).action(async (raw: RawAuditOptions, command: Command) => {
    if (!raw.out) throw new CliError('--out DIR is required');
    const models = raw.model ?? [];
    if (raw.heatmaps && (models.length || raw.images?.length)) throw new CliError('--heatmaps audits maps made elsewhere: leave out --model and --images');
    if (!raw.heatmaps && (raw.ids || raw.predictions)) throw new CliError('--ids and --predictions go with --heatmaps');
    if (models.length > 2) throw new CliError(`--model is given ${models.length} times: audit compares at most two models`);
    const explain = raw.heatmaps ? null : parseExplainOptions({ ...raw, model: models[0] });
    const settings = auditorSettings(raw);
    // Maps made elsewhere carry no image patches: the map alone, unless --input was asked for.
    if (raw.heatmaps && command.getOptionValueSource('input') === 'default') settings.input = 'heatmap';
    if (raw.redis && raw.heatmaps) throw new CliError('--redis spreads the explain stage over workers: it needs --model and --images, not --heatmaps');
    const { queueName, redisUrl } = await import('../fleet/connection');
    const fleet = raw.redis ? { redis: redisUrl(raw.redis), queue: queueName(raw.queue), shardSize: int('shard-size', raw.shardSize, 1, 100_000) as number } : undefined;
    const o = {
      fleet,
      explain: explain ? { model: explain.model, images: explain.images, layer: explain.layer, method: explain.method, target: explain.target, size: explain.size, batch: explain.batch, normalize: explain.normalize, resize: explain.resize } : undefined,
      heatmaps: raw.heatmaps ? { path: raw.heatmaps, ids: raw.ids, predictions: raw.predictions, size: heatmapSize(raw.size) } : undefined,
      labels: raw.labels,
      truth: raw.truth,
      budget: ratio('budget', raw.budget),
      ratioKnownOutlier: ratio('ratio-known-outlier', raw.ratioKnownOutlier),
      settings,
      out: raw.out,
    };
    if (models.length === 2 && o.explain) {
      const { runAuditComparison } = await import('./audit-compare');
      const { model: _model, ...explainRest } = o.explain;
      const { names, outcomes, comparison: c } = await runAuditComparison({ ...o, explain: explainRest, models: [models[0], models[1]] });
      outcomes.forEach((r, k) => summarise(r.report, join(o.out, names[k])));
      process.stderr.write(
        `compared ${names[0]} and ${names[1]} on ${c.n_images} image(s): both flagged ${c.both_flagged.count}, only ${names[0]} ${c.only_a.count}, only ${names[1]} ${c.only_b.count}, neither ${c.neither.count}` +
          ` (flags agree on ${c.agreement === null ? '–' : `${(100 * c.agreement).toFixed(1)}%`})` +
          ` → ${join(o.out, 'comparison.json')}\n`,
      );
      return;
    }
    const { runAudit } = await import('./audit-run');
    summarise((await runAudit(o)).report, o.out);
  });
}

/** The one-line summary of an audit on stderr. */
function summarise(r: AuditReport, out: string): void {
  const d = r.detectors.deepsad;
  process.stderr.write(
    `audited ${r.n_images} image(s): flagged ${d.flagged} of ${r.n_evaluated} evaluated (${(100 * r.flagged_fraction).toFixed(1)}%)` +
      (d.f1 !== undefined ? `, Deep SAD F1 ${d.f1.toFixed(3)} ${r.detectors.faithfulness ? ` vs faithfulness ${(r.detectors.faithfulness.f1 ?? 0).toFixed(3)}` : ''}` : '') +
      (r.agreement ? `; ${r.agreement.summary}` : '') +
      ` → ${out}\n`,
  );
}
