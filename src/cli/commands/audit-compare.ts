/**
 * `apexp audit --model A --model B`: the single-model audit run once per model (each with its own
 * explanations, detector and report, in `--out/<model name>/`), then the two joined per image into
 * comparison.json and comparison.md (core/audit/comparison.ts). The whole --out is written into a temp
 * directory beside it and renamed at the end, like a single audit.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { compareAudits, comparisonMarkdown, type AuditComparison } from '../../core/audit/comparison';
import { writeFileAtomic } from '../io';
import { commitOut, prepareOut, runAudit, type AuditOptions, type AuditOutcome } from './audit-run';

/** Resolved options of a two-model audit: those of one audit, with the models. */
export interface CompareOptions extends Omit<AuditOptions, 'explain' | 'heatmaps'> {
  explain: Omit<NonNullable<AuditOptions['explain']>, 'model'>;
  /** The two --model paths, in the order given (model A, model B). */
  models: [string, string];
}

/**
 * Sub-folder names of the models: the model's folder name (`vgg_small` for
 * public/models/vgg_small/model.json or public/models/vgg_small), with `-1`, `-2` added when they clash.
 */
export function modelNames(models: readonly string[]): string[] {
  const names = models.map((m) => {
    const p = resolve(m);
    const name = /\.json$/i.test(p) ? basename(dirname(p)) : basename(p);
    return name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
  });
  return names.map((n, i) => (names.filter((x) => x === n).length > 1 ? `${n}-${i + 1}` : n));
}

/** Audits the images with both models and compares them; returns each outcome and the comparison. */
export async function runAuditComparison(o: CompareOptions): Promise<{ names: string[]; outcomes: AuditOutcome[]; comparison: AuditComparison }> {
  const names = modelNames(o.models);
  const { tmp, existing } = await prepareOut(o.out, 'comparison.json');
  try {
    const outcomes: AuditOutcome[] = [];
    for (const [k, model] of o.models.entries()) {
      const { models: _models, ...rest } = o;
      process.stderr.write(`auditing with ${names[k]} (${k + 1}/${o.models.length}): ${model}\n`);
      outcomes.push(await runAudit({ ...rest, explain: { ...o.explain, model }, out: join(tmp, names[k]) }));
    }
    const comparison = compareAudits(
      { name: names[0], ...outcomes[0] },
      { name: names[1], ...outcomes[1] },
    );
    const withPaths = { ...comparison, model_paths: { [names[0]]: o.models[0], [names[1]]: o.models[1] } };
    await writeFileAtomic(join(tmp, 'comparison.json'), `${JSON.stringify(withPaths, null, 2)}\n`);
    await writeFileAtomic(join(tmp, 'comparison.md'), comparisonMarkdown(comparison));
    await commitOut(tmp, o.out, existing);
    return { names, outcomes, comparison };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
