/**
 * The body of `apexp audit`, loaded lazily: explain → Deep SAD → score → flag → faithfulness and the
 * other baselines at the same fraction → files. Everything is written into a temp directory beside
 * --out, which replaces --out by rename at the end, so a failed run never leaves a complete-looking report.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { buildAuditReport, auditMarkdown } from '../../core/audit/report';
import { pickKnownAnomalies } from '../../core/audit/known-anomalies';
import type { DeepSadConfig, NetName } from '../../core/deepsad/types';
import { saveDetectorDir } from '../detector-dir';
import type { DeepSadInputKind } from '../cli-options';
import { CliError } from '../errors';
import { readLabels, readTruth } from '../explanations';
import { listImages } from '../images';
import { checkKnownIds, parseCsv, readText, replaceDir, writeFileAtomic } from '../io';
import { runExplain, type ExplainOptions } from './explain-run';
import { detectorInput, inputChannels, scoreHeatmaps, scoresCsv, trainingConfig, trainOnHeatmaps } from './train-run';

/** Resolved options of `apexp audit`. */
export interface AuditOptions {
  explain: Omit<ExplainOptions, 'out' | 'faithfulness'>;
  labels?: string;
  truth?: string;
  budget: number;
  ratioKnownOutlier: number;
  net: NetName;
  /** What Deep SAD sees: the map, or the map + the image patch under its peak (core/audit/peak-patch). */
  input: DeepSadInputKind;
  overrides: Partial<DeepSadConfig>;
  out: string;
}

/** Files an audit writes into --out. */
export const AUDIT_FILES = ['explanations.jsonl', 'scores.csv', 'report.json', 'report.md', 'detector'] as const;

async function prepareOut(out: string): Promise<{ tmp: string; existing: string[] | null }> {
  const target = resolve(out);
  const existing = await readdir(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new CliError(err.code === 'ENOTDIR' ? `--out ${out} exists and is not a directory` : `cannot read --out ${out}: ${err.code}`);
  });
  if (existing && existing.length > 0 && !existing.includes('report.json')) {
    throw new CliError(`--out ${out} is not empty and holds no report.json: refusing to overwrite it`);
  }
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(tmp, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create a directory beside --out ${out}: ${err.code}`);
  });
  return { tmp, existing };
}

async function commitOut(tmp: string, out: string, existing: string[] | null): Promise<void> {
  await replaceDir(tmp, resolve(out), existing ? `${tmp}.old` : null);
}

/** Runs the whole audit; returns the report. @throws CliError for bad input */
export async function runAudit(o: AuditOptions) {
  // Check the CSVs' ids against the images before any expensive work.
  const { images } = await listImages(o.explain.images);
  const allIds = new Set(images.map((i) => i.id));
  if (o.labels) await readLabels(o.labels, allIds);
  if (o.truth) checkKnownIds(parseCsv(await readText(o.truth, 'truth'), o.truth, ['id', 'class']).map((r) => r.id), allIds, o.truth);

  const { tmp, existing } = await prepareOut(o.out);
  try {
    const channels = inputChannels(o.input);
    const ex = await runExplain({ ...o.explain, out: join(tmp, 'explanations.jsonl'), faithfulness: true, peakPatches: channels > 1 });
    const n = ex.ids.length;
    const index = new Map(ex.ids.map((id, i) => [id, i]));
    const truth = o.truth ? await readTruth(o.truth, allIds, ex.classNames) : undefined;
    const truthArr = truth ? Int32Array.from(ex.ids, (id) => truth.get(id) ?? -1) : undefined;

    const semi = new Int8Array(n);
    let labelSource: 'labels' | 'truth' | 'none' = 'none';
    if (o.labels) {
      for (const [id, y] of await readLabels(o.labels, allIds)) if (index.has(id)) semi[index.get(id) as number] = y;
      labelSource = 'labels';
    } else if (truthArr) {
      const mis = Uint8Array.from(ex.ids, (_, i) => (truthArr[i] >= 0 && truthArr[i] !== ex.predicted[i] ? 1 : 0));
      pickKnownAnomalies(mis, o.ratioKnownOutlier, o.overrides.seed ?? 0).forEach((p, i) => p && (semi[i] = -1));
      labelSource = 'truth';
    }

    const x = detectorInput(ex.heatmaps, ex.patches, n, ex.size, channels, 'the explain stage');
    const cfg = trainingConfig(o.net, ex.size, o.overrides, channels);
    const detector = await trainOnHeatmaps(x, n, semi, cfg);
    let scores: Float32Array;
    try {
      scores = await scoreHeatmaps(detector, x, n, ex.size, channels);
      await saveDetectorDir(join(tmp, 'detector'), detector);
    } finally {
      detector.dispose();
    }

    const report = buildAuditReport({
      ids: ex.ids,
      classNames: ex.classNames,
      predicted: ex.predicted,
      probs: ex.probs,
      numClasses: ex.numClasses,
      deepsad: scores,
      faithfulness: ex.faithfulness as Float32Array,
      truth: truthArr,
      semiTargets: semi,
      budget: o.budget,
      seed: cfg.seed,
      skipped: ex.skipped,
      settings: {
        model: o.explain.model,
        images: o.explain.images,
        layer: ex.layer,
        target: o.explain.target,
        size: ex.size,
        normalization: ex.normalization,
        resize: o.explain.resize,
        backend: ex.backend,
        labels: o.labels ?? null,
        truth: o.truth ?? null,
        label_source: labelSource,
        ratio_known_outlier: labelSource === 'truth' ? o.ratioKnownOutlier : null,
        input: o.input,
        detector: cfg,
        faithfulness: 'deletion: blur-replace the 10–50% most relevant pixels; 1 − normalised area of the relative drop of the target probability (higher = less faithful)',
      },
    });
    await writeFileAtomic(join(tmp, 'scores.csv'), scoresCsv(ex.ids, scores));
    await writeFileAtomic(join(tmp, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFileAtomic(join(tmp, 'report.md'), auditMarkdown(report));
    await commitOut(tmp, o.out, existing);
    return report;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
