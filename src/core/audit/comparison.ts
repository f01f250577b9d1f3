/**
 * Two classifiers audited on the same images, side by side: where their Deep SAD flags agree and
 * differ (the 2×2 table and its id lists), and how often their predictions agree. Each model keeps
 * its own detector and report; this only joins the two per image.
 */
import type { AuditReport } from './report';

/** One audited model as the comparison needs it. */
export interface ComparedAudit {
  /** Short name (the model's folder name), also the sub-folder of its report. */
  name: string;
  report: AuditReport;
  /** Every audited (not skipped) image id, in one order. */
  ids: readonly string[];
  /** Predicted class name per image (same order as `ids`); null when unknown. */
  predicted: readonly string[] | null;
  /** 1 where the image was evaluated (unlabeled and scored), 0 where its label trained the detector. */
  evaluated: ArrayLike<number>;
}

/** Count and ids of one cell of the 2×2 table. */
export interface ComparisonCell {
  count: number;
  ids: string[];
}

/** comparison.json: the two models' flags on the images both evaluated. */
export interface AuditComparison {
  models: [string, string];
  /** Images both audited and both evaluated (labeled or skipped images of either model are left out). */
  n_images: number;
  budget: number;
  both_flagged: ComparisonCell;
  only_a: ComparisonCell;
  only_b: ComparisonCell;
  neither: ComparisonCell;
  /** (both + neither) / n_images; null when n_images is 0. */
  agreement: number | null;
  /** Cohen's κ of the two flag sets (agreement beyond what their flag rates give by chance); null when undefined. */
  kappa: number | null;
  /** Per model: flags on the compared images, and from its own report the evaluated images, its flags there, accuracy and Deep SAD F1 (when truth exists). */
  per_model: Record<string, { flagged: number; n_evaluated: number; flagged_in_report: number; accuracy_before: number | null; deepsad_f1: number | null }>;
  /** Images both audited (evaluated or not) where the two predicted classes are the same; null without predictions. */
  prediction_agreement: { n_images: number; same: number; fraction: number | null } | null;
}

/** One model's flags on its images, without a full report (the app's live state): what compareFlags joins. */
export interface FlagSet {
  name: string;
  /** Every image it explained and scored, in one order. */
  ids: readonly string[];
  /** Ids it flags at the budget (evaluated images only). */
  flagged: ReadonlySet<string>;
  /** 1 where the image was evaluated (unlabeled and scored). */
  evaluated: ArrayLike<number>;
  /** Predicted class name per image; null when unknown. */
  predicted: readonly string[] | null;
  /** From its report when there is one: evaluated images, accuracy, Deep SAD F1. */
  nEvaluated?: number;
  accuracyBefore?: number | null;
  deepsadF1?: number | null;
}

/**
 * Joins two models' flags on the same images (the 2×2 table over the images both evaluated, agreement,
 * κ, prediction agreement).
 * @param budget the review budget both flagged at
 * @throws Error when the two have the same name
 */
export function compareFlags(a: FlagSet, b: FlagSet, budget: number): AuditComparison {
  if (a.name === b.name) throw new Error(`compareAudits: both models are called ${a.name}`);
  const idxB = new Map(b.ids.map((id, i) => [id, i]));
  const cells = { both_flagged: [] as string[], only_a: [] as string[], only_b: [] as string[], neither: [] as string[] };
  let nPred = 0;
  let same = 0;
  a.ids.forEach((id, i) => {
    const j = idxB.get(id);
    if (j === undefined) return;
    if (a.predicted && b.predicted) {
      nPred += 1;
      if (a.predicted[i] === b.predicted[j]) same += 1;
    }
    if (!a.evaluated[i] || !b.evaluated[j]) return;
    const fa = a.flagged.has(id);
    const fb = b.flagged.has(id);
    cells[fa && fb ? 'both_flagged' : fa ? 'only_a' : fb ? 'only_b' : 'neither'].push(id);
  });
  const n = cells.both_flagged.length + cells.only_a.length + cells.only_b.length + cells.neither.length;
  const cell = (ids: string[]): ComparisonCell => ({ count: ids.length, ids });
  const agree = n ? (cells.both_flagged.length + cells.neither.length) / n : null;
  const pa = n ? (cells.both_flagged.length + cells.only_a.length) / n : 0;
  const pb = n ? (cells.both_flagged.length + cells.only_b.length) / n : 0;
  const chance = pa * pb + (1 - pa) * (1 - pb);
  const kappa = agree !== null && chance < 1 ? (agree - chance) / (1 - chance) : null;
  const model = (m: FlagSet, own: number) => ({
    flagged: own,
    n_evaluated: m.nEvaluated ?? Array.from(m.evaluated).filter(Boolean).length,
    flagged_in_report: m.flagged.size,
    accuracy_before: m.accuracyBefore ?? null,
    deepsad_f1: m.deepsadF1 ?? null,
  });
  return {
    models: [a.name, b.name],
    n_images: n,
    budget,
    both_flagged: cell(cells.both_flagged),
    only_a: cell(cells.only_a),
    only_b: cell(cells.only_b),
    neither: cell(cells.neither),
    agreement: agree,
    kappa,
    per_model: {
      [a.name]: model(a, cells.both_flagged.length + cells.only_a.length),
      [b.name]: model(b, cells.both_flagged.length + cells.only_b.length),
    },
    prediction_agreement: a.predicted && b.predicted ? { n_images: nPred, same, fraction: nPred ? same / nPred : null } : null,
  };
}

/** A ComparedAudit as a FlagSet (flags and numbers from its report). */
function flagSetOf(m: ComparedAudit): FlagSet {
  return {
    name: m.name,
    ids: m.ids,
    flagged: new Set(m.report.flagged_ids),
    evaluated: m.evaluated,
    predicted: m.predicted,
    nEvaluated: m.report.n_evaluated,
    accuracyBefore: m.report.accuracy_before ?? null,
    deepsadF1: m.report.detectors.deepsad.f1 ?? null,
  };
}

/**
 * Joins two audits of the same images.
 * @throws Error when the two models were audited with different budgets or have the same name
 */
export function compareAudits(a: ComparedAudit, b: ComparedAudit): AuditComparison {
  if (a.name === b.name) throw new Error(`compareAudits: both models are called ${a.name}`);
  if (a.report.budget !== b.report.budget) throw new Error(`compareAudits: budgets differ (${a.report.budget} vs ${b.report.budget})`);
  return compareFlags(flagSetOf(a), flagSetOf(b), a.report.budget);
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

/** comparison.md: the 2×2 table of flags, agreement, and the images flagged by one model only. */
export function comparisonMarkdown(c: AuditComparison): string {
  const [a, b] = c.models;
  const list = (ids: string[]) => (ids.length ? ids.map((id) => `- ${id}`) : ['(none)']);
  const lines = [
    `# APEXP comparison: ${a} vs ${b}`,
    '',
    `Each model has its own explanations, Deep SAD detector and report (\`${a}/report.json\`, \`${b}/report.json\`), flagging ${pct(c.budget)} of its unlabeled images. Compared here: the ${c.n_images} image(s) both evaluated.`,
    '',
    `| | ${b} flagged | ${b} not flagged |`,
    '|---|---|---|',
    `| **${a} flagged** | ${c.both_flagged.count} | ${c.only_a.count} |`,
    `| **${a} not flagged** | ${c.only_b.count} | ${c.neither.count} |`,
    '',
    `- Flags agree on ${pct(c.agreement)} of the images (Cohen's κ ${c.kappa === null ? '–' : c.kappa.toFixed(3)}).`,
  ];
  if (c.prediction_agreement) lines.push(`- Predictions agree on ${c.prediction_agreement.same} of ${c.prediction_agreement.n_images} images (${pct(c.prediction_agreement.fraction)}).`);
  for (const m of c.models) {
    const p = c.per_model[m];
    lines.push(`- ${m}: ${p.flagged} flagged here (${p.flagged_in_report} of ${p.n_evaluated} in its report)${p.accuracy_before !== null ? `, accuracy ${pct(p.accuracy_before)}` : ''}${p.deepsad_f1 !== null ? `, Deep SAD F1 ${p.deepsad_f1.toFixed(3)}` : ''}.`);
  }
  lines.push('', `## Flagged by both`, '', ...list(c.both_flagged.ids), '', `## Flagged by ${a} only`, '', ...list(c.only_a.ids), '', `## Flagged by ${b} only`, '', ...list(c.only_b.ids), '');
  return lines.join('\n');
}
