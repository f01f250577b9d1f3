import { createRng } from '../random';
import { accuracyBeforeAfter, chooseThreshold, evaluateDetector, thresholdAtFraction, type AccuracyResult, type DetectorResult, type ThresholdMode } from './evaluate';

/** Everything an audit has computed per image, in one order (skipped images are not among them). */
export interface AuditInput {
  ids: string[];
  classNames: string[];
  predicted: ArrayLike<number>;
  /** n·numClasses class probabilities. */
  probs: ArrayLike<number>;
  numClasses: number;
  /** Deep SAD anomaly scores (higher = more anomalous). */
  deepsad: ArrayLike<number>;
  /** Deletion scores (higher = less faithful). */
  faithfulness: ArrayLike<number>;
  /** True class per image, −1 where unknown; absent without truth.csv. */
  truth?: ArrayLike<number>;
  /** The labels Deep SAD was trained with: +1 normal, −1 anomalous, 0 unlabeled. Labeled images are not evaluated. */
  semiTargets: ArrayLike<number>;
  /** Review budget (fraction) used when the labels do not allow a best-F1 threshold. */
  budget: number;
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
  threshold_mode: ThresholdMode;
  /** Fraction of the evaluated images Deep SAD flags; every baseline flags the same fraction. */
  flagged_fraction: number;
  /** Deep SAD threshold (flag score ≥ it). */
  threshold: number;
  accuracy_before?: number | null;
  accuracy_after?: number | null;
  per_class?: Record<string, AccuracyResult>;
  /** deepsad, faithfulness (deletion), confidence (1 − max probability), random (seeded). */
  detectors: Record<'deepsad' | 'faithfulness' | 'confidence' | 'random', DetectorResult>;
  /** Ids Deep SAD flags, highest score first. */
  flagged_ids: string[];
  settings: Record<string, unknown>;
}

/**
 * The audit's analysis: chooses the Deep SAD threshold (best F1 on the labels when they hold both
 * kinds, else the budget), flags the evaluated images, flags with each baseline at the same fraction,
 * and — when truth exists — scores every detector against the misclassified images and reports
 * accuracy before/after an oracle re-checks Deep SAD's flags (overall and per true class).
 */
export function buildAuditReport(a: AuditInput): AuditReport {
  const n = a.ids.length;
  const evaluated = Uint8Array.from({ length: n }, (_, i) => (a.semiTargets[i] === 0 ? 1 : 0));
  const nEval = evaluated.reduce((s, e) => s + e, 0);
  const { mode, threshold } = chooseThreshold(a.deepsad, a.semiTargets, evaluated, a.budget);
  const flagged = Uint8Array.from({ length: n }, (_, i) => (evaluated[i] && a.deepsad[i] >= threshold ? 1 : 0));
  const nFlagged = flagged.reduce((s, f) => s + f, 0);
  const fraction = nEval ? nFlagged / nEval : 0;

  const confidence = Float32Array.from({ length: n }, (_, i) => {
    let m = -Infinity;
    for (let k = 0; k < a.numClasses; k++) m = Math.max(m, a.probs[i * a.numClasses + k]);
    return 1 - m;
  });
  const rng = createRng(a.seed);
  const random = Float32Array.from({ length: n }, () => rng());
  const truth = a.truth;
  const anomalous = truth ? Int8Array.from({ length: n }, (_, i) => (truth[i] < 0 ? -1 : a.predicted[i] !== truth[i] ? 1 : 0)) : undefined;
  const at = (s: ArrayLike<number>) => evaluateDetector(s, thresholdAtFraction(s, evaluated, fraction), evaluated, anomalous);

  const report: AuditReport = {
    n_images: n,
    n_skipped: a.skipped.length,
    skipped: a.skipped,
    n_evaluated: nEval,
    n_labeled: n - nEval,
    budget: a.budget,
    threshold_mode: mode,
    flagged_fraction: fraction,
    threshold,
    detectors: {
      deepsad: evaluateDetector(a.deepsad, threshold, evaluated, anomalous),
      faithfulness: at(a.faithfulness),
      confidence: at(confidence),
      random: at(random),
    },
    flagged_ids: a.ids
      .map((id, i) => ({ id, s: a.deepsad[i], f: flagged[i] }))
      .filter((e) => e.f)
      .sort((x, y) => y.s - x.s)
      .map((e) => e.id),
    settings: a.settings,
  };
  if (truth) {
    const acc = accuracyBeforeAfter(a.predicted, truth, flagged, evaluated, a.classNames);
    report.accuracy_before = Number.isFinite(acc.overall.accuracy_before) ? acc.overall.accuracy_before : null;
    report.accuracy_after = Number.isFinite(acc.overall.accuracy_after) ? acc.overall.accuracy_after : null;
    report.per_class = acc.perClass;
  }
  return report;
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
    `- Deep SAD threshold: ${num(r.threshold)} (${r.threshold_mode === 'best-f1' ? 'best F1 on the labels' : `review budget ${pct(r.budget)}`}), flagging ${pct(r.flagged_fraction)} of the evaluated images (${r.detectors.deepsad.flagged})`,
  ];
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
