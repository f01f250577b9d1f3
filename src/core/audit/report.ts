import { createRng } from '../random';
import type { LabelAgreement } from './auditor';
import { accuracyBeforeAfter, evaluateDetector, thresholdAtFraction, type AccuracyResult, type DetectorResult } from './evaluate';
import { reviewFlags } from './flags';

/**
 * Everything an audit has computed per image, in one order (skipped images are not among them). Maps
 * made elsewhere (BYO heatmaps) may come without probabilities, predictions or deletion scores: the
 * baselines and the accuracy that need them are then left out of the report.
 */
export interface AuditInput {
  ids: string[];
  classNames: string[];
  /** Predicted class per image; null when unknown (then `truth` must be absent). */
  predicted: ArrayLike<number> | null;
  /** n·numClasses class probabilities; null when only `confidence` (or nothing) is known. */
  probs: ArrayLike<number> | null;
  numClasses: number;
  /** The classifier's confidence (max class probability) per image when `probs` is null (predictions.csv). */
  confidence?: ArrayLike<number> | null;
  /** The auditor's ranking score per image (higher = review first; NaN = not scored). */
  deepsad: ArrayLike<number>;
  /** Deletion scores (higher = less faithful); null when not computed (no classifier to compute them with). */
  faithfulness: ArrayLike<number> | null;
  /** True class per image, −1 where unknown; absent without truth.csv. Needs `predicted`. */
  truth?: ArrayLike<number>;
  /** The labels Deep SAD was trained with: +1 normal, −1 anomalous, 0 unlabeled. Labeled images are not evaluated. */
  semiTargets: ArrayLike<number>;
  /** Review budget: the fraction of the unlabeled scored images to flag (flags.ts). */
  budget: number;
  /** The detector against the analyst on held-out labels (auditor.ts), when it was measured. */
  agreement?: LabelAgreement | null;
  /** Seed of the random baseline. */
  seed: number;
  skipped: { id: string; reason: string }[];
  settings: Record<string, unknown>;
}

/** report.json (DESIGN.md), plus the evaluation set, every baseline and the flagged ids. */
export interface AuditReport {
  n_images: number;
  n_skipped: number;
  skipped: { id: string; reason: string }[];
  /** Images the review covers: all except those whose labels trained the detector. */
  n_evaluated: number;
  n_labeled: number;
  budget: number;
  /** Fraction of the evaluated images Deep SAD flags; every baseline flags the same fraction. */
  flagged_fraction: number;
  /** Deep SAD threshold (flag score ≥ it). */
  threshold: number;
  accuracy_before?: number | null;
  accuracy_after?: number | null;
  per_class?: Record<string, AccuracyResult>;
  /** deepsad, faithfulness (deletion), confidence (1 − max probability), random (seeded); faithfulness and confidence only where their inputs exist. */
  detectors: Record<'deepsad' | 'random', DetectorResult> & Partial<Record<'faithfulness' | 'confidence', DetectorResult>>;
  /** Evaluated ids Deep SAD flags, highest score first. */
  flagged_ids: string[];
  /** Held-out agreement with the analyst's labels (k-fold), in the words the app uses too; null without labels. */
  agreement: (Omit<LabelAgreement, 'heldOut'> & { summary: string; held_out: { id: string; label: string; percentile: number }[] }) | null;
  settings: Record<string, unknown>;
}

/**
 * The audit's analysis: flags the evaluated (unlabeled, scored) images at the budget (flags.ts), flags
 * with each baseline at the same fraction, and — when truth exists — scores every detector against
 * the misclassified images and reports accuracy before/after an oracle re-checks Deep SAD's flags
 * (overall and per true class). The browser's JSON report and the CLI's report.json are this object.
 */
export function buildAuditReport(a: AuditInput): AuditReport {
  const n = a.ids.length;
  const evaluated = Uint8Array.from({ length: n }, (_, i) => (a.semiTargets[i] === 0 && Number.isFinite(a.deepsad[i]) ? 1 : 0));
  const nEval = evaluated.reduce((s, e) => s + e, 0);
  const review = reviewFlags(a.deepsad, a.semiTargets, a.budget);
  const threshold = review.threshold;
  const flagged = Uint8Array.from({ length: n }, (_, i) => (evaluated[i] && review.flagged[i] ? 1 : 0));
  const nFlagged = review.nFlaggedByScore;
  const fraction = nEval ? nFlagged / nEval : 0;

  const probs = a.probs;
  const known = a.confidence;
  const unconfidence = probs
    ? Float32Array.from({ length: n }, (_, i) => {
        let m = -Infinity;
        for (let k = 0; k < a.numClasses; k++) m = Math.max(m, probs[i * a.numClasses + k]);
        return 1 - m;
      })
    : known
      ? Float32Array.from({ length: n }, (_, i) => 1 - known[i])
      : null;
  const rng = createRng(a.seed);
  const random = Float32Array.from({ length: n }, () => rng());
  const truth = a.truth;
  const predicted = a.predicted;
  if (truth && !predicted) throw new Error('truth needs the predicted classes');
  const anomalous = truth && predicted ? Int8Array.from({ length: n }, (_, i) => (truth[i] < 0 ? -1 : predicted[i] !== truth[i] ? 1 : 0)) : undefined;
  // A baseline is judged on the evaluated images it can score: a confidence unknown for some maps (a
  // predictions.csv without their rows, in the app) leaves those out instead of failing the report.
  const at = (s: ArrayLike<number>) => {
    const known = Uint8Array.from(evaluated, (e, i) => (e && Number.isFinite(s[i]) ? 1 : 0));
    return evaluateDetector(s, thresholdAtFraction(s, known, fraction), known, anomalous);
  };

  const report: AuditReport = {
    n_images: n,
    n_skipped: a.skipped.length,
    skipped: a.skipped,
    n_evaluated: nEval,
    n_labeled: Array.from({ length: n }, (_, i) => a.semiTargets[i]).filter((y) => y !== 0).length,
    budget: a.budget,
    flagged_fraction: fraction,
    threshold,
    detectors: {
      deepsad: evaluateDetector(a.deepsad, threshold, evaluated, anomalous),
      ...(a.faithfulness ? { faithfulness: at(a.faithfulness) } : {}),
      ...(unconfidence ? { confidence: at(unconfidence) } : {}),
      random: at(random),
    },
    flagged_ids: a.ids
      .map((id, i) => ({ id, s: a.deepsad[i], f: flagged[i] }))
      .filter((e) => e.f)
      .sort((x, y) => y.s - x.s)
      .map((e) => e.id),
    agreement: a.agreement ? { ...withoutHeldOut(a.agreement), summary: agreementSentence(a.agreement), held_out: a.agreement.heldOut.map((h) => ({ id: h.id, label: h.label, percentile: h.percentile })) } : null,
    settings: a.settings,
  };
  if (truth && predicted) {
    const acc = accuracyBeforeAfter(predicted, truth, flagged, evaluated, a.classNames);
    report.accuracy_before = Number.isFinite(acc.overall.accuracy_before) ? acc.overall.accuracy_before : null;
    report.accuracy_after = Number.isFinite(acc.overall.accuracy_after) ? acc.overall.accuracy_after : null;
    report.per_class = acc.perClass;
  }
  return report;
}

function withoutHeldOut(g: LabelAgreement): Omit<LabelAgreement, 'heldOut'> {
  const { heldOut: _heldOut, ...rest } = g;
  return rest;
}

/**
 * The agreement in plain words, e.g. "Of your 4 anomalous labels, the detector ranks 3 inside the
 * review budget when it has not seen them; of your 10 normal labels, it keeps 9 outside."
 */
export function agreementSentence(g: LabelAgreement): string {
  const parts: string[] = [];
  if (g.nAnomalous) parts.push(`Of your ${g.nAnomalous} anomalous label${g.nAnomalous === 1 ? '' : 's'}, the detector ranks ${g.anomalousCaught} inside the review budget when it has not seen ${g.nAnomalous === 1 ? 'it' : 'them'}`);
  if (g.nNormal) parts.push(`${parts.length ? 'of' : 'Of'} your ${g.nNormal} normal label${g.nNormal === 1 ? '' : 's'}, it keeps ${g.normalCleared} outside${parts.length ? '' : ' when it has not seen them'}`);
  return `${parts.join('; ')}.`;
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** report.md: the same findings for a person, as Markdown. */
export function auditMarkdown(r: AuditReport): string {
  const lines = [
    '# APEXP audit report',
    '',
    `- Images explained: ${r.n_images}${r.n_skipped ? ` (${r.n_skipped} file(s) skipped, listed below)` : ''}`,
    `- Evaluated: ${r.n_evaluated} (${r.n_labeled} used as training labels and left out)`,
    `- Deep SAD threshold: ${num(r.threshold)} (review budget ${pct(r.budget)}), flagging ${pct(r.flagged_fraction)} of the evaluated images (${r.detectors.deepsad.flagged})`,
  ];
  if (r.agreement) {
    lines.push(`- Agreement with your labels (${r.agreement.folds}-fold, on labels the detector did not see): ${r.agreement.summary}`);
    if (r.agreement.disagreements.length) lines.push(`- Where the detector disagrees with you: ${r.agreement.disagreements.join(', ')}`);
  }
  if (r.accuracy_before !== undefined) {
    lines.push(`- Accuracy before review: ${pct(r.accuracy_before)}; after an oracle re-checks the flagged images: ${pct(r.accuracy_after)}`);
    lines.push('', '| class | images | accuracy before | accuracy after |', '|---|---|---|---|');
    for (const [name, c] of Object.entries(r.per_class ?? {})) lines.push(`| ${name} | ${c.n} | ${pct(c.accuracy_before)} | ${pct(c.accuracy_after)} |`);
  }
  lines.push('', '## Detectors at the same flagged fraction', '');
  const withQuality = r.detectors.deepsad.f1 !== undefined;
  lines.push(withQuality ? '| detector | flagged | F1 | precision | recall | ROC AUC |' : '| detector | flagged | threshold |');
  lines.push(withQuality ? '|---|---|---|---|---|---|' : '|---|---|---|');
  for (const [name, d] of Object.entries(r.detectors)) {
    lines.push(withQuality ? `| ${name} | ${d.flagged} | ${num(d.f1)} | ${num(d.precision)} | ${num(d.recall)} | ${num(d.auc)} |` : `| ${name} | ${d.flagged} | ${num(d.threshold)} |`);
  }
  if (withQuality) lines.push('', 'Ground truth for the detectors: the misclassified images (prediction ≠ truth.csv) among the evaluated ones.');
  lines.push('', '## Flagged for review (highest Deep SAD score first)', '');
  lines.push(...(r.flagged_ids.length ? r.flagged_ids.map((id) => `- ${id}`) : ['(none)']));
  if (r.skipped.length) lines.push('', '## Skipped files', '', ...r.skipped.map((s) => `- ${s.id}: ${s.reason}`));
  return `${lines.join('\n')}\n`;
}
