/**
 * The benchmarks' ground truth of a rendered insulator set under one classifier (issue 12): which
 * images an analyst would call anomalous. Every benchmark imports it from here, so there is one
 * definition.
 *
 * - misclassified: the prediction is not the true class;
 * - shortcut ("right for the wrong reason"): the image carries an ID tag, the prediction is right,
 *   and the SAME scene rendered without the tag (the generator's counterfactual: same plan item,
 *   seed and size, `tag: false`) is predicted otherwise by the same classifier. The tag changed the
 *   answer, so the right answer rested on the tag;
 * - anomalous: misclassified or shortcut.
 *
 * Why the counterfactual and not the Grad-CAM map: the detectors under test read the map (and the
 * patch under its peak), so truth taken from the map would partly grade a detector with its own
 * input. The counterfactual asks the classifier itself, and needs no explanation at all.
 */
import type { Classifier } from '../../src/core/classifier/types';
import type { RgbaImage } from '../../src/core/data/image';
import { INSULATOR_CLASSES, renderPlanned, type InsulatorSetItem } from '../../src/core/data/insulator';
import { predictClasses } from './predict';

/** Per-image ground truth of a set of n images; flags are 0/1. */
export interface BenchTruth {
  /** 1 where the image carries an ID tag (the generator's plan). */
  tagged: Uint8Array;
  /** 1 where the prediction is not the true class. */
  misclassified: Uint8Array;
  /** 1 where tagged, predicted right, and the tag-free counterfactual is predicted otherwise. */
  shortcut: Uint8Array;
  /** misclassified | shortcut: what an analyst would label anomalous. */
  anomalous: Uint8Array;
  /** Predicted class of each tagged image's tag-free counterfactual; −1 for an untagged image (it has none). */
  counterfactual: Int32Array;
}

/** How {@link benchTruth} renders and predicts the counterfactuals. */
export interface TruthOptions {
  /** Counterfactuals predicted per classifier call, ≥ 1 (default 128). */
  batch?: number;
  /** Renders a tagged item's tag-free twin (default {@link counterfactualOf}); tests inject synthetic images. */
  render?: (item: InsulatorSetItem) => RgbaImage;
}

/** The tag-free counterfactual of a generated item: its plan item (id, class, seed) rendered with `tag: false` at the item's size. */
export function counterfactualOf(item: InsulatorSetItem): RgbaImage {
  return renderPlanned({ id: item.id, cls: item.cls, seed: item.seed, tag: false }, item.image.width).image;
}

/**
 * {@link BenchTruth} from class indices (pure). `labels`, `predicted` and `counterfactual` are class
 * indices of n images, `tagged` 0/1; `counterfactual[i]` is read only where `tagged[i]` is 1.
 */
export function truthFromPredictions(labels: Int32Array, tagged: Uint8Array, predicted: Int32Array, counterfactual: Int32Array): BenchTruth {
  const n = labels.length;
  if (tagged.length !== n || predicted.length !== n || counterfactual.length !== n) throw new Error(`truth: ${n} labels but ${tagged.length} tag flags, ${predicted.length} predictions, ${counterfactual.length} counterfactual predictions`);
  const t: BenchTruth = { tagged: Uint8Array.from(tagged), misclassified: new Uint8Array(n), shortcut: new Uint8Array(n), anomalous: new Uint8Array(n), counterfactual: new Int32Array(n).fill(-1) };
  for (let i = 0; i < n; i++) {
    const wrong = predicted[i] !== labels[i];
    if (tagged[i]) t.counterfactual[i] = counterfactual[i];
    t.misclassified[i] = wrong ? 1 : 0;
    t.shortcut[i] = tagged[i] && !wrong && counterfactual[i] !== predicted[i] ? 1 : 0;
    t.anomalous[i] = t.misclassified[i] | t.shortcut[i];
  }
  return t;
}

/**
 * The ground truth of generated `items` under `classifier`, whose predictions on them are
 * `predicted` (class indices, e.g. the explained class from Grad-CAM). Renders the tag-free
 * counterfactual of each tagged item and predicts it with the same classifier, `batch` at a time
 * (only one batch of counterfactual images is held at once); frees every tensor it makes.
 * @throws Error when `predicted` has another length than `items`, or the classifier's classes are not INSULATOR_CLASSES in order.
 */
export async function benchTruth(classifier: Classifier, items: readonly InsulatorSetItem[], predicted: Int32Array, opts: TruthOptions = {}): Promise<BenchTruth> {
  const batch = opts.batch ?? 128;
  const render = opts.render ?? counterfactualOf;
  if (predicted.length !== items.length) throw new Error(`truth: ${items.length} items but ${predicted.length} predictions`);
  // Class indices are the insulator label order; a classifier with another order would be graded wrongly.
  if (classifier.classNames.join(',') !== INSULATOR_CLASSES.join(',')) throw new Error(`truth: the classifier's classes [${classifier.classNames.join(', ')}] are not [${INSULATOR_CLASSES.join(', ')}]`);
  const labels = Int32Array.from(items, (x) => INSULATOR_CLASSES.indexOf(x.cls));
  const tagged = Uint8Array.from(items, (x) => (x.tag ? 1 : 0));
  const counterfactual = new Int32Array(items.length).fill(-1);
  const withTag = items.flatMap((x, i) => (x.tag ? [i] : []));
  for (let b = 0; b < withTag.length; b += batch) {
    const idx = withTag.slice(b, b + batch);
    const pred = await predictClasses(classifier, idx.map((i) => render(items[i])), batch);
    idx.forEach((i, j) => (counterfactual[i] = pred[j]));
  }
  return truthFromPredictions(labels, tagged, predicted, counterfactual);
}

/** Counts of a truth's flags (numbers of images). */
export function truthCounts(t: BenchTruth): { n: number; tagged: number; misclassified: number; shortcut: number; anomalous: number } {
  const sum = (v: Uint8Array): number => v.reduce((a, b) => a + b, 0);
  return { n: t.tagged.length, tagged: sum(t.tagged), misclassified: sum(t.misclassified), shortcut: sum(t.shortcut), anomalous: sum(t.anomalous) };
}
