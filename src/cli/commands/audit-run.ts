/**
 * The body of `apexp audit`, loaded lazily: explain → Deep SAD → score → flag → faithfulness and the
 * other baselines at the same fraction → files. Everything is written into a temp directory beside
 * --out, which replaces --out by rename at the end, so a failed run never leaves a complete-looking report.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { buildAuditReport, auditMarkdown, type AuditReport } from '../../core/audit/report';
import { describeRankingModel } from '../../core/audit/ranking';
import { pickKnownAnomalies } from '../../core/audit/known-anomalies';
import { Auditor } from '../../core/audit/auditor';
import { detectorInput, DetectorInputError } from '../../core/audit/detector-input';
import { detectorConfig, type AuditorSettings } from '../../core/audit/settings';
import { DeepSadDivergedError } from '../../core/deepsad/errors';
import { NODE_BACKENDS, selectBackend } from '../../core/tf/backend';
import { saveDetectorMembers } from '../detector-dir';
import { CliError } from '../errors';
import { createProgress } from '../progress';
import { readLabels, readTruth } from '../explanations';
import { listImages } from '../images';
import { readHeatmapSet, readPredictions, type Prediction } from '../heatmap-sources';
import { checkKnownIds, parseCsv, readText, replaceDir, writeFileAtomic } from '../io';
import { runExplain, type ExplainOptions } from './explain-run';
import { scoresCsv } from './train-run';
import type { Fleet, FleetOptions } from '../fleet/coordinator';

/** Maps made elsewhere (`apexp audit --heatmaps`): a PNG folder, a .npy + ids, or explanations.jsonl; optional predictions.csv. */
export interface ImportedHeatmaps {
  path: string;
  ids?: string;
  predictions?: string;
  /** Side the maps are resized to. */
  size: [number, number];
}

/** Resolved options of `apexp audit`: either `explain` (a model and images) or `heatmaps`. */
export interface AuditOptions {
  explain?: Omit<ExplainOptions, 'out' | 'faithfulness'>;
  heatmaps?: ImportedHeatmaps;
  labels?: string;
  truth?: string;
  budget: number;
  ratioKnownOutlier: number;
  /** The detector: input (map + peak patch by default), η, steps, ensemble (core/audit/settings.ts). */
  settings: AuditorSettings;
  out: string;
  /** Explain and score on a worker fleet over Redis (`--redis`); absent = in this process. */
  fleet?: FleetOptions;
}

/** Files an audit writes into --out. */
export const AUDIT_FILES = ['explanations.jsonl', 'scores.csv', 'report.json', 'report.md', 'detector'] as const;

/**
 * Checks --out (absent, empty, or an earlier run's output holding `marker`) and makes a temp directory beside it.
 * @throws CliError for an --out that holds something else
 */
export async function prepareOut(out: string, marker = 'report.json'): Promise<{ tmp: string; existing: string[] | null }> {
  const target = resolve(out);
  const existing = await readdir(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new CliError(err.code === 'ENOTDIR' ? `--out ${out} exists and is not a directory` : `cannot read --out ${out}: ${err.code}`);
  });
  if (existing && existing.length > 0 && !existing.includes(marker)) {
    throw new CliError(`--out ${out} is not empty and holds no ${marker}: refusing to overwrite it`);
  }
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(tmp, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create a directory beside --out ${out}: ${err.code}`);
  });
  return { tmp, existing };
}

/** Puts the finished temp directory in place of --out (replacing an earlier run's). */
export async function commitOut(tmp: string, out: string, existing: string[] | null): Promise<void> {
  await replaceDir(tmp, resolve(out), existing ? `${tmp}.old` : null);
}

/**
 * What the detector and the report need per image, whichever way the maps came: explained here, or
 * made elsewhere (then predictions, probabilities and deletion scores may be missing).
 */
interface AuditSet {
  ids: string[];
  skipped: { id: string; reason: string }[];
  classNames: string[];
  size: [number, number];
  heatmaps: Float32Array;
  patches: Float32Array | null;
  predicted: Int32Array | null;
  probs: Float32Array | null;
  numClasses: number;
  /** Max class probability per image when only that is known (predictions.csv). */
  confidence: Float32Array | null;
  faithfulness: Float32Array | null;
  /** The explain part of report.json's settings. */
  settings: Record<string, unknown>;
}

/** Explains the images with the model, here or on the fleet (writing explanations.jsonl into `tmp`). */
async function explainedSet(o: AuditOptions & { explain: NonNullable<AuditOptions['explain']> }, tmp: string, fleet: Fleet | null): Promise<AuditSet> {
  const eo = { ...o.explain, out: join(tmp, 'explanations.jsonl'), faithfulness: true, peakPatches: o.settings.input === 'heatmap-peak' };
  const ex = fleet ? await (await import('../fleet/coordinator')).fleetExplain(fleet, eo) : await runExplain(eo);
  return {
    ...ex,
    patches: ex.patches ?? null,
    confidence: null,
    faithfulness: ex.faithfulness ?? null,
    settings: { model: o.explain.model, images: o.explain.images, layer: ex.layer, method: ex.method, target: o.explain.target, size: ex.size, normalization: ex.normalization, resize: o.explain.resize, backend: ex.backend },
  };
}

/**
 * Reads maps made elsewhere and, when given, predictions.csv. Class names are the predicted and true
 * classes as written (names or indices), in order of first appearance.
 * @throws CliError naming the file
 */
async function importedSet(h: ImportedHeatmaps, truthPath: string | undefined, input: AuditorSettings['input']): Promise<AuditSet> {
  const set = await readHeatmapSet(h.path, { size: h.size, ids: h.ids });
  if (input === 'heatmap-peak' && !set.patches) throw new CliError(`${h.path} holds no peak patches, which --input heatmap-peak needs: use --input heatmap for maps made elsewhere`);
  const known = new Set(set.ids);
  const preds = h.predictions ? await readPredictions(h.predictions, known) : null;
  if (preds && preds.size < set.ids.length) {
    const missing = set.ids.filter((id) => !preds.has(id));
    throw new CliError(`${h.predictions}: no row for ${missing.length} of the ${set.ids.length} maps (first: ${JSON.stringify(missing[0])})`);
  }
  if (truthPath && !preds) throw new CliError('--truth with --heatmaps needs --predictions predictions.csv: an image is misclassified when its truth differs from its prediction');
  const classNames: string[] = [];
  const add = (c: string) => classNames.includes(c) || classNames.push(c);
  if (preds) for (const id of set.ids) add((preds.get(id) as Prediction).predicted);
  if (truthPath) for (const r of parseCsv(await readText(truthPath, 'truth'), truthPath, ['id', 'class'])) add((r.class ?? '').trim());
  return {
    ids: set.ids,
    skipped: set.skipped,
    classNames,
    size: set.size,
    heatmaps: set.heatmaps,
    patches: set.patches,
    predicted: preds ? Int32Array.from(set.ids, (id) => classNames.indexOf((preds.get(id) as Prediction).predicted)) : null,
    probs: null,
    numClasses: classNames.length,
    confidence: preds ? Float32Array.from(set.ids, (id) => (preds.get(id) as Prediction).confidence) : null,
    faithfulness: null,
    settings: { heatmaps: h.path, format: set.format, ids: h.ids ?? null, predictions: h.predictions ?? null, method: set.method, size: set.size },
  };
}

/** An audit's report and, per audited image, what a comparison with another model's audit needs. */
export interface AuditOutcome {
  report: AuditReport;
  /** Audited (not skipped) ids, in the order of the arrays below. */
  ids: string[];
  /** Predicted class name per image; null when unknown (maps without predictions). */
  predicted: string[] | null;
  /** 1 where the image was evaluated (unlabeled and scored), 0 where its label trained the detector. */
  evaluated: Uint8Array;
}

/** Runs the whole audit; returns the report and the per-image outcome. @throws CliError for bad input */
export async function runAudit(o: AuditOptions): Promise<AuditOutcome> {
  // Check the CSVs' ids against the images before any expensive work.
  const allIds = o.explain
    ? new Set((await listImages(o.explain.images)).images.map((i) => i.id))
    : null;
  if (o.labels && allIds) await readLabels(o.labels, allIds);
  if (o.truth && allIds) checkKnownIds(parseCsv(await readText(o.truth, 'truth'), o.truth, ['id', 'class']).map((r) => r.id), allIds, o.truth);
  if (!o.explain && !o.heatmaps) throw new CliError('either --model with --images, or --heatmaps, is required');

  if (o.fleet && !o.explain) throw new CliError('--redis spreads the explain stage over workers: it needs --model and --images, not --heatmaps');
  const { tmp, existing } = await prepareOut(o.out);
  const coordinator = o.fleet ? await import('../fleet/coordinator') : null;
  let fleet: Fleet | null = null;
  let complete = false;
  try {
    if (coordinator && o.fleet) fleet = await coordinator.openFleet(o.fleet, o.out);
    const ex = o.explain ? await explainedSet({ ...o, explain: o.explain }, tmp, fleet) : await importedSet(o.heatmaps as ImportedHeatmaps, o.truth, o.settings.input);
    const known = allIds ?? new Set(ex.ids);
    if (!allIds && o.truth) checkKnownIds(parseCsv(await readText(o.truth, 'truth'), o.truth, ['id', 'class']).map((r) => r.id), known, o.truth);
    const n = ex.ids.length;
    const index = new Map(ex.ids.map((id, i) => [id, i]));
    const truth = o.truth ? await readTruth(o.truth, known, ex.classNames) : undefined;
    const truthArr = truth ? Int32Array.from(ex.ids, (id) => truth.get(id) ?? -1) : undefined;

    const semi = new Int8Array(n);
    let labelSource: 'labels' | 'truth' | 'none' = 'none';
    if (o.labels) {
      for (const [id, y] of await readLabels(o.labels, known)) if (index.has(id)) semi[index.get(id) as number] = y;
      labelSource = 'labels';
    } else if (truthArr && ex.predicted) {
      const predicted = ex.predicted;
      const mis = Uint8Array.from(ex.ids, (_, i) => (truthArr[i] >= 0 && truthArr[i] !== predicted[i] ? 1 : 0));
      pickKnownAnomalies(mis, o.ratioKnownOutlier, o.settings.seed).forEach((p, i) => p && (semi[i] = -1));
      labelSource = 'truth';
    }

    const { ranking, agreement, members } = await detect(o.settings, ex, semi, o.budget);
    await saveDetectorMembers(join(tmp, 'detector'), members);
    const report = buildAuditReport({
      ids: ex.ids,
      classNames: ex.classNames,
      predicted: ex.predicted,
      probs: ex.probs,
      numClasses: ex.numClasses,
      deepsad: ranking.score,
      confidence: ex.confidence,
      faithfulness: ex.faithfulness,
      truth: truthArr,
      semiTargets: semi,
      budget: o.budget,
      agreement,
      seed: o.settings.seed,
      skipped: ex.skipped,
      settings: {
        ...ex.settings,
        labels: o.labels ?? null,
        truth: o.truth ?? null,
        label_source: labelSource,
        ratio_known_outlier: labelSource === 'truth' ? o.ratioKnownOutlier : null,
        input: o.settings.input,
        auditor: o.settings,
        // How the ranking weighed its signals, learnt from the labels: [intercept, Deep SAD, unconfidence, vote, class offsets…].
        ranking_model: { weights: Array.from(ranking.model.weights), n_labels: ranking.model.nLabels, summary: describeRankingModel(ranking.model, ex.classNames) },
        detector: detectorConfig(o.settings, ex.size, n),
        faithfulness: ex.faithfulness
          ? 'deletion: blur-replace the 10–50% most relevant pixels; 1 − normalised area of the relative drop of the target probability (higher = less faithful)'
          : null,
      },
    });
    // On the fleet the workers score the shards with the detector written above: the distance column is theirs.
    const distance = coordinator && fleet ? await coordinator.fleetScore(fleet, members, o.settings.input) : ranking.distance;
    await writeFileAtomic(join(tmp, 'scores.csv'), scoresCsv(ex.ids, ranking.score, distance));
    await writeFileAtomic(join(tmp, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFileAtomic(join(tmp, 'report.md'), auditMarkdown(report));
    await commitOut(tmp, o.out, existing);
    const { predicted } = ex;
    complete = true;
    return {
      report,
      ids: ex.ids,
      predicted: predicted ? Array.from(predicted, (k) => ex.classNames[k] ?? String(k)) : null,
      evaluated: Uint8Array.from(ex.ids, (_, i) => (semi[i] === 0 && Number.isFinite(ranking.score[i]) ? 1 : 0)),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (coordinator && fleet) await coordinator.closeFleet(fleet, complete);
  }
}

/**
 * The detector stage: the auditor trains on every explanation, applies the labels (bounded update),
 * ranks, and — with labels — measures its agreement with them on held-out folds.
 * @throws CliError for a diverged run
 */
async function detect(settings: AuditorSettings, ex: AuditSet, semi: Int8Array, budget: number) {
  await selectBackend(NODE_BACKENDS);
  const n = ex.ids.length;
  const auditor = new Auditor(settings, ex.size);
  let bar: ReturnType<typeof createProgress> | null = null;
  try {
    let x: Float32Array;
    try {
      x = detectorInput(settings.input, ex.heatmaps, ex.patches, n, ex.size);
    } catch (err) {
      if (err instanceof DetectorInputError) throw new CliError(`the explain stage: ${err.message}`);
      throw err;
    }
    const { probs, confidence } = ex;
    const unconf = probs
      ? Float32Array.from({ length: n }, (_, i) => 1 - Math.max(...probs.subarray(i * ex.numClasses, (i + 1) * ex.numClasses)))
      : confidence
        ? confidence.map((c) => 1 - c)
        : undefined;
    auditor.upsert(ex.ids, x, unconf, ex.predicted ?? undefined);
    auditor.setLabels(new Map(ex.ids.map((id, i) => [id, semi[i]] as [string, number]).filter(([, y]) => y !== 0)));
    try {
      await auditor.train({
        onMember: (j, e) => {
          bar?.done();
          bar = createProgress({ label: e > 1 ? `train ${j + 1}/${e}` : 'train', total: 1 });
        },
        onEpoch: (ev) => bar?.log(`${ev.stage} epoch ${ev.epoch}/${ev.epochs} loss ${ev.loss.toFixed(4)} (${ev.seconds.toFixed(1)} s)`),
      });
    } catch (err) {
      if (err instanceof DeepSadDivergedError) throw new CliError(`${err.message}; try a smaller --lr`);
      throw err;
    }
    const ranking = auditor.rank();
    const agreement = semi.some((y) => y !== 0) ? await auditor.agreement(budget) : null;
    return { ranking, agreement, members: await auditor.currentBundles() };
  } finally {
    (bar as ReturnType<typeof createProgress> | null)?.done();
    auditor.dispose();
  }
}
