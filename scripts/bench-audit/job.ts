/**
 * One job of the audit benchmark: one classifier on one pipeline seed. Renders that seed's biased
 * reference set and unbiased test set, explains both, derives the ground truth of both
 * (scripts/bench-lib/truth.ts: misclassified, and shortcut cases by the tag-free counterfactual) and
 * the analyst's labels from the reference truth, trains Deep SAD (k labels and k = 0, or each
 * `--variants` setting) and scores every detector. Jobs share nothing, so bench-audit.ts runs them in parallel processes (pool.ts).
 */
import { generateInsulatorSet } from '../../src/core/data/insulator';
import { defaultConfig } from '../../src/core/deepsad/config';
import { trainDeepSadSets } from '../../src/core/deepsad/train';
import { loadBundledClassifier } from '../bench-lib/classifier';
import { benchTruth, truthCounts } from '../bench-lib/truth';
import type { DetectorFigures, DetectorName } from './detectors';
import { combinedScores, DETECTORS, faultyAccuracy, randomExpected, scoreDetector } from './detectors';
import { explainSet, tensorCount } from './explain';
import { analystLabels } from './analyst';
import type { SeedRun } from './report';
import { deepSadInput, inputChannels } from './deepsad-input';
import { ensembleScores, memberSeed } from './ensemble';
import { parseSpec, specName, type SadSpec } from './spec';
import { detectorInput } from '../../src/core/audit/detector-input';
import { DEFAULT_AUDITOR_SETTINGS } from '../../src/core/audit/settings';
import { auditorScores } from './auditor-scores';
import type { CamMethod } from '../../src/core/gradcam/cam-methods';
import type { MethodRow } from './methods';

/** `--deepsad auditor` (the default): the product's detector, core/audit's Auditor with DEFAULT_AUDITOR_SETTINGS. */
export const AUDITOR_SPEC = 'auditor';

/** What a job needs (plain JSON: it travels to a child process). */
export interface AuditJob {
  seed: number;
  classifier: string;
  modelsDir: string;
  nRef: number;
  nTest: number;
  k: number;
  budget: number;
  /** Deep SAD setting (`INPUT:ETA[:nopretrain][:ensE]`) of the k-label and k = 0 runs. */
  deepsad: string;
  /** Tuning mode: these settings, k labels only, instead of the full detector table. */
  variants: string[] | null;
  /** Method-study mode (methods.ts): these CAM methods, Grad-CAM first, instead of the detector table. */
  methods?: CamMethod[] | null;
}

/** One Deep SAD setting's figures on one seed and classifier (tuning mode). */
export interface ValidationRow {
  seed: number;
  classifier: string;
  variant: string;
  deepsad: DetectorFigures;
  combined: DetectorFigures;
  confidence: DetectorFigures;
  random: DetectorFigures;
}

/** A job's answer: the detector table's row (null in tuning mode), tuning rows, tensors left over. */
export interface JobResult {
  run: SeedRun | null;
  validation: ValidationRow[];
  /** Method-study rows (methods.ts), when the job asked for methods. */
  methods?: MethodRow[];
  leaked: number;
}

/** Member scores already trained in this job, by labels and setting: `--variants heatmap:5,heatmap:5:ens3` trains heatmap:5 once. */
type MemberCache = Map<string, Float32Array>;

/** One label set of the reference inputs: its cache name (`k`, `0`) and its Deep SAD semi-targets. */
interface LabelSet {
  key: string;
  semi: Int8Array;
}

/**
 * Deep SAD scores (n test images, higher = more anomalous) of `spec` trained on the n reference inputs,
 * one score vector per label set: one detector with init seed `seed`, or for `ensE` the mean fractional
 * rank of E detectors with seeds seed, seed + 100, … (ensemble.ts). The label sets of one member share
 * its autoencoder pretraining (trainDeepSadSets: the same detectors as separate trainings, one
 * pretraining). Members already in `cache` (same labels, setting and seed) are not trained again.
 */
async function deepSadScores(spec: SadSpec, ref: Float32Array, nRef: number, sets: readonly LabelSet[], test: Float32Array, nTest: number, seed: number, cache: MemberCache): Promise<Float32Array[]> {
  const members: Float32Array[][] = sets.map(() => []);
  for (let j = 0; j < spec.ensemble; j++) {
    const keys = sets.map((set) => `${set.key}|${specName({ ...spec, ensemble: 1 })}|${memberSeed(seed, j)}`);
    const missing = sets.filter((_, i) => !cache.has(keys[i]));
    if (missing.length) {
      const cfg = { ...defaultConfig('heatmap_LeNet', [32, 32, inputChannels(spec.input)]), eta: spec.eta, pretrain: spec.pretrain, seed: memberSeed(seed, j) };
      const dets = await trainDeepSadSets({ x: ref, n: nRef }, missing.map((set) => set.semi), cfg);
      try {
        for (let i = 0; i < dets.length; i++) cache.set(keys[sets.indexOf(missing[i])], await dets[i].score(test, nTest));
      } finally {
        for (const d of dets) d.dispose();
      }
    }
    keys.forEach((key, i) => members[i].push(cache.get(key) as Float32Array));
  }
  return members.map((m) => (spec.ensemble === 1 ? m[0] : ensembleScores(m)));
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs one job on the active tfjs backend (wasm). */
export async function runAuditJob(job: AuditJob): Promise<JobResult> {
  const { seed: s, classifier: name, nRef, nTest, k, budget } = job;
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const before = tensorCount();
  const ref = generateInsulatorSet({ n: nRef, seed: s, split: 'reference' });
  const test = generateInsulatorSet({ n: nTest, seed: s, split: 'test' });
  const faulty = Uint8Array.from(test, (x) => (x.cls !== 'good' ? 1 : 0));
  const cls = await loadBundledClassifier(job.modelsDir, name);
  const validation: ValidationRow[] = [];
  let run: SeedRun | null = null;
  try {
    const er = await explainSet(cls, ref);
    const et = await explainSet(cls, test, { deletion: true });
    // Truth from the explained (predicted) class and the generator's tag-free counterfactuals, never from the maps.
    const tRef = await benchTruth(cls, ref, er.predicted);
    const tTest = await benchTruth(cls, test, et.predicted);
    const correct = Uint8Array.from(tTest.misclassified, (m) => 1 - m);
    const semi = analystLabels(tRef, k, s);
    const unconf = et.confidence.map((c) => 1 - c);
    const cache: MemberCache = new Map();
    const input = (sp: SadSpec, e: typeof er, set: typeof ref): Float32Array => deepSadInput(sp.input, e.heatmaps, set.map((x) => x.image), e.size[0], e.size[1]);
    const fig = (sc: Float32Array): DetectorFigures => scoreDetector(sc, tTest, correct, faulty, budget);
    if (job.variants) {
      for (const v of job.variants.map(parseSpec)) {
        const [sc] = await deepSadScores(v, input(v, er, ref), nRef, [{ key: 'k', semi }], input(v, et, test), nTest, s, cache);
        const row: ValidationRow = { seed: s, classifier: name, variant: specName(v), deepsad: fig(sc), combined: fig(combinedScores(sc, unconf)), confidence: fig(unconf), random: randomExpected(tTest, correct, faulty, budget) };
        validation.push(row);
        const d = row.deepsad;
        log(`validation seed ${s} ${name} ${row.variant}: f1 ${d.f1.toFixed(3)} shortcut_recall ${d.shortcut_recall.toFixed(3)} union ${d.union_recall.toFixed(3)} auc ${d.roc_auc.toFixed(3)} gain-vs-random ${(100 * (d.faulty_accuracy_after - row.random.faulty_accuracy_after)).toFixed(1)} pts | combined union ${row.combined.union_recall.toFixed(3)} vs confidence ${row.confidence.union_recall.toFixed(3)} | confidence f1 ${row.confidence.f1.toFixed(3)} shortcut ${row.confidence.shortcut_recall.toFixed(3)} (${elapsed()})`);
      }
    } else {
      let sadK: Float32Array;
      let sad0: Float32Array;
      if (job.deepsad === AUDITOR_SPEC) {
        const x = (e: typeof er) => detectorInput(DEFAULT_AUDITOR_SETTINGS.input, e.heatmaps, e.patches, e.n, e.size);
        const set = (e: typeof er, n: number) => ({ x: x(e), n, unconf: e.confidence.map((c) => 1 - c), predicted: Int32Array.from(e.predicted) });
        [sadK, sad0] = await auditorScores(set(er, nRef), semi, set(et, nTest), s);
      } else {
        const spec = parseSpec(job.deepsad);
        [sadK, sad0] = await deepSadScores(spec, input(spec, er, ref), nRef, [{ key: 'k', semi }, { key: '0', semi: new Int8Array(nRef) }], input(spec, et, test), nTest, s, cache);
      }
      const scores: Partial<Record<DetectorName, Float32Array>> = {
        deepsad: sadK,
        deepsad_unlabeled: sad0,
        faithfulness: et.deletion as Float32Array,
        confidence: unconf,
        combined: combinedScores(sadK, unconf),
      };
      const detectors = {} as Record<DetectorName, DetectorFigures>;
      for (const d of DETECTORS) detectors[d] = d === 'random' ? randomExpected(tTest, correct, faulty, budget) : fig(scores[d] as Float32Array);
      const counts = truthCounts(tTest);
      const tagFree = test.map((x, i) => ({ x, i })).filter((o) => !o.x.tag);
      const taggedGood = test.map((x, i) => ({ x, i })).filter((o) => o.x.tag && o.x.cls === 'good');
      run = {
        seed: s,
        classifier: name,
        tagfree_accuracy: tagFree.filter((o) => correct[o.i]).length / tagFree.length,
        shortcut_rate: taggedGood.filter((o) => et.predicted[o.i] !== 0).length / Math.max(1, taggedGood.length),
        faulty_accuracy_before: faultyAccuracy(correct, faulty),
        n_misclassified: counts.misclassified,
        n_shortcut: counts.shortcut,
        n_labeled: semi.reduce((a, b) => a + (b !== 0 ? 1 : 0), 0),
        detectors,
      };
      log(`seed ${s} ${name}: misclassified ${run.n_misclassified}, shortcut cases ${run.n_shortcut}, deepsad F1 ${detectors.deepsad.f1.toFixed(3)}, confidence F1 ${detectors.confidence.f1.toFixed(3)} (${elapsed()})`);
    }
  } finally {
    cls.dispose();
  }
  return { run, validation, leaked: tensorCount() - before };
}
