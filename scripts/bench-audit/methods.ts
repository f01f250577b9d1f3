/**
 * `bench:audit --methods a,b,…`: the CAM-method study (issue 15). One job = one classifier on one seed:
 * the ground truth once (it depends on the predictions and the generator's counterfactuals, not on
 * the maps), then for every method the reference and test sets explained with it (timed: the cost
 * against Grad-CAM in the same process), the product's auditor trained on its reference maps with the
 * same k analyst labels, and its figures on the test set at the budget. Grad-CAM is always run first
 * as the baseline of the cost ratio.
 */
import { generateInsulatorSet } from '../../src/core/data/insulator';
import { detectorInput } from '../../src/core/audit/detector-input';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';
import { CAM_METHODS, DEFAULT_CAM_METHOD, type CamMethod } from '../../src/core/gradcam/cam-methods';
import { loadBundledClassifier } from '../bench-lib/classifier';
import { benchTruth, truthCounts } from '../bench-lib/truth';
import { analystLabels } from './analyst';
import { faultyAccuracy, scoreDetector, type DetectorFigures } from './detectors';
import { explainSet, tensorCount, type ExplainedSet } from './explain';
import type { AuditJob } from './job';
import { auditorScores } from './auditor-scores';
import { bootstrap, type Interval } from './stats';

/** One method's figures on one seed and classifier. */
export interface MethodRow {
  seed: number;
  classifier: string;
  method: CamMethod;
  /** Wall-clock ms per image to explain the reference + test sets (maps + peak patches, no deletion). */
  explain_ms_per_image: number;
  /** The same, divided by Grad-CAM's in the same job. */
  cost_vs_gradcam: number;
  n_misclassified: number;
  n_shortcut: number;
  deepsad: DetectorFigures;
  deepsad_unlabeled: DetectorFigures;
}

/** `--methods` parsed: gradcam first (the cost baseline), then the others in the order given. */
export function parseMethods(v: string): CamMethod[] {
  const asked = v.split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of asked) if (!(CAM_METHODS as readonly string[]).includes(m)) throw new Error(`--methods: unknown method "${m}" (one of ${CAM_METHODS.join(', ')})`);
  return [DEFAULT_CAM_METHOD, ...new Set((asked as CamMethod[]).filter((m) => m !== DEFAULT_CAM_METHOD))];
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs the method study of one (seed, classifier) job on the active tfjs backend. */
export async function runMethodsJob(job: AuditJob & { methods: CamMethod[] }): Promise<{ rows: MethodRow[]; leaked: number }> {
  const { seed: s, classifier: name, nRef, nTest, k, budget } = job;
  const before = tensorCount();
  const ref = generateInsulatorSet({ n: nRef, seed: s, split: 'reference' });
  const test = generateInsulatorSet({ n: nTest, seed: s, split: 'test' });
  const faulty = Uint8Array.from(test, (x) => (x.cls !== 'good' ? 1 : 0));
  const cls = await loadBundledClassifier(job.modelsDir, name);
  const rows: MethodRow[] = [];
  try {
    let truth: { ref: Awaited<ReturnType<typeof benchTruth>>; test: Awaited<ReturnType<typeof benchTruth>> } | null = null;
    let gradcamMs = NaN;
    for (const method of job.methods) {
      // Warm-up (kernel compilation, first allocations) outside the timed run, so the first method is not charged for it.
      await explainSet(cls, ref.slice(0, 8), { method });
      const t0 = performance.now();
      const er = await explainSet(cls, ref, { method });
      const et = await explainSet(cls, test, { method });
      const ms = (performance.now() - t0) / (nRef + nTest);
      if (method === DEFAULT_CAM_METHOD) gradcamMs = ms;
      // The predictions do not depend on the method: the truth of the first run serves all.
      truth ??= { ref: await benchTruth(cls, ref, er.predicted), test: await benchTruth(cls, test, et.predicted) };
      const correct = Uint8Array.from(truth.test.misclassified, (m) => 1 - m);
      const x = (e: ExplainedSet) => detectorInput(DEFAULT_AUDITOR_SETTINGS.input, e.heatmaps, e.patches, e.n, e.size);
      const set = (e: ExplainedSet, n: number) => ({ x: x(e), n, unconf: e.confidence.map((c) => 1 - c), predicted: Int32Array.from(e.predicted) });
      const [sadK, sad0] = await auditorScores(set(er, nRef), analystLabels(truth.ref, k, s), set(et, nTest), s);
      const counts = truthCounts(truth.test);
      const row: MethodRow = {
        seed: s,
        classifier: name,
        method,
        explain_ms_per_image: ms,
        cost_vs_gradcam: ms / gradcamMs,
        n_misclassified: counts.misclassified,
        n_shortcut: counts.shortcut,
        deepsad: scoreDetector(sadK, truth.test, correct, faulty, budget),
        deepsad_unlabeled: scoreDetector(sad0, truth.test, correct, faulty, budget),
      };
      rows.push(row);
      log(`methods seed ${s} ${name} ${method}: ${ms.toFixed(1)} ms/image (${row.cost_vs_gradcam.toFixed(2)}× Grad-CAM), deepsad F1 ${row.deepsad.f1.toFixed(3)} union ${row.deepsad.union_recall.toFixed(3)} shortcut ${row.deepsad.shortcut_recall.toFixed(3)} (faulty accuracy ${faultyAccuracy(correct, faulty).toFixed(3)} before)`);
    }
  } finally {
    cls.dispose();
  }
  return { rows, leaked: tensorCount() - before };
}

/** Mean (95% bootstrap interval) over seeds of one figure, per classifier and method. */
function summary(rows: readonly MethodRow[], pick: (r: MethodRow) => number): Interval {
  return bootstrap(rows.map(pick));
}

const pct = (i: Interval): string => (Number.isFinite(i.mean) ? `${(100 * i.mean).toFixed(1)} [${(100 * i.lo).toFixed(1)}, ${(100 * i.hi).toFixed(1)}]` : 'n/a');

/** The JSON and the BENCHMARKS.md section of a method study. */
export function renderMethods(rows: readonly MethodRow[], o: { command: string; seconds: number; rule: string }): { json: unknown; markdown: string } {
  const classifiers = [...new Set(rows.map((r) => r.classifier))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const lines = [
    `Command: \`${o.command}\` (${Math.round(o.seconds)} s on this machine). Seeds ${seeds.join(', ')}; means over seeds with 95% bootstrap intervals, in %.`,
    'Every method feeds the same product detector (core/audit Auditor, DEFAULT_AUDITOR_SETTINGS: map + peak patch) with the same analyst labels; the truth (misclassified, shortcut by the tag-free counterfactual) is the same for all. Cost = explain time of the reference + test sets (maps + peak patches) against Grad-CAM in the same job.',
    '',
    `Decision rule, written before the run: ${o.rule}`,
    '',
  ];
  for (const c of classifiers) {
    lines.push(`**${c}**`, '', '| method | cost vs Grad-CAM | Deep SAD F1 | union recall | shortcut recall | ROC AUC | union recall without labels |', '|---|---|---|---|---|---|---|');
    for (const m of methods) {
      const rs = rows.filter((r) => r.classifier === c && r.method === m);
      if (!rs.length) continue;
      const cost = summary(rs, (r) => r.cost_vs_gradcam).mean;
      lines.push(`| ${m} | ${cost.toFixed(2)}× | ${pct(summary(rs, (r) => r.deepsad.f1))} | ${pct(summary(rs, (r) => r.deepsad.union_recall))} | ${pct(summary(rs, (r) => r.deepsad.shortcut_recall))} | ${pct(summary(rs, (r) => r.deepsad.roc_auc))} | ${pct(summary(rs, (r) => r.deepsad_unlabeled.union_recall))} |`);
    }
    lines.push('');
  }
  const json = { settings: { command: o.command, seconds: Math.round(o.seconds), seeds, rule: o.rule }, rows };
  return { json, markdown: lines.join('\n') };
}
