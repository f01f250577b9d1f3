import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Classifier } from '../../src/core/classifier/types';
import type { RgbaImage } from '../../src/core/data/image';
import { generateInsulatorSet, INSULATOR_CLASSES, renderInsulator, type InsulatorClass, type InsulatorSetItem } from '../../src/core/data/insulator';
import { toInputTensor } from '../../src/core/classifier/preprocess';
import { predictClasses } from './predict';
import { benchTruth, counterfactualOf, truthCounts, truthFromPredictions } from './truth';

/** A classifier over [size, size, 3] inputs (pixel values 0–255) whose class is `rule(image pixels)`. */
function fakeClassifier(size: number, rule: (px: Float32Array) => number): Classifier {
  return {
    kind: 'layers',
    inputShape: [size, size, 3],
    classNames: [...INSULATOR_CLASSES],
    normalization: 'none',
    endsInSoftmax: true,
    targetCandidates: () => [],
    defaultTarget: '',
    predict: (x) =>
      tf.tidy(() => {
        const n = x.shape[0];
        const px = x.dataSync() as Float32Array;
        const per = size * size * 3;
        const cls = Array.from({ length: n }, (_, i) => rule(px.subarray(i * per, (i + 1) * per)));
        return tf.oneHot(tf.tensor1d(cls, 'int32'), 3).toFloat() as tf.Tensor2D;
      }),
    split: () => {
      throw new Error('not used');
    },
    dispose: () => undefined,
  };
}

/** A 2×2 image: red 255 where `tag` (the "tag pixel colour"), green = `green` everywhere. */
function tinyImage(tag: boolean, green: number): RgbaImage {
  const data = new Uint8ClampedArray(16);
  for (let p = 0; p < 4; p++) data.set([tag ? 255 : 0, green, 0, 255], 4 * p);
  return { width: 2, height: 2, data };
}

/** The tiny classifier: class 1 (`broken`) when red is present, else the class the green level encodes (0, 100, 200 → 0, 1, 2). */
const byTagColour = fakeClassifier(2, (px) => (px[0] > 200 ? 1 : Math.round(px[1] / 100)));

describe('benchmark truth', () => {
  it('derives the flags from class indices by hand-countable cases', () => {
    // images: 0 tagged right, twin differs → shortcut; 1 tagged right, twin same; 2 tagged wrong; 3 untagged wrong; 4 untagged right.
    const t = truthFromPredictions(Int32Array.from([1, 2, 0, 2, 0]), Uint8Array.from([1, 1, 1, 0, 0]), Int32Array.from([1, 2, 1, 0, 0]), Int32Array.from([0, 2, 0, 1, 1]));
    expect([...t.misclassified]).toEqual([0, 0, 1, 1, 0]);
    expect([...t.shortcut]).toEqual([1, 0, 0, 0, 0]);
    expect([...t.anomalous]).toEqual([1, 0, 1, 1, 0]);
    expect([...t.tagged]).toEqual([1, 1, 1, 0, 0]);
    // an untagged image has no counterfactual, whatever was passed
    expect([...t.counterfactual]).toEqual([0, 2, 0, -1, -1]);
    expect(truthCounts(t)).toEqual({ n: 5, tagged: 3, misclassified: 2, shortcut: 1, anomalous: 3 });
    expect(() => truthFromPredictions(new Int32Array(2), new Uint8Array(2), new Int32Array(1), new Int32Array(2))).toThrow(/2 labels/);
  });

  it('renders and predicts the tag-free twins in batches, without leaking tensors', async () => {
    // [class, tag, green level of the scene]; the twin keeps the scene (green) and loses the red tag.
    const cases: [InsulatorClass, boolean, number][] = [
      ['good', true, 0], // tag read as broken: misclassified (twin: good)
      ['broken', true, 0], // right only because of the tag (twin: good): shortcut
      ['broken', true, 100], // right with and without the tag: not a shortcut
      ['broken', false, 100], // untagged, right
      ['flashover', false, 0], // untagged, wrong
      ['broken', true, 200], // twin called flashover: shortcut
      ['good', false, 0], // untagged, right
      ['flashover', true, 200], // tag read as broken: misclassified (twin: flashover)
    ];
    const items: InsulatorSetItem[] = cases.map(([cls, tag, green], i) => ({ id: `t/${i}`, seed: green, cls, tag, image: tinyImage(tag, green), tagBox: null, defectBox: null, shellMask: new Uint8Array(4) }));
    const rendered: string[] = [];
    const render = (item: InsulatorSetItem): RgbaImage => (rendered.push(item.id), tinyImage(false, item.seed));
    const predicted = await predictClasses(byTagColour, items.map((x) => x.image), 3);
    expect([...predicted]).toEqual([1, 1, 1, 1, 0, 1, 0, 1]);
    const before = tf.memory().numTensors;
    const t = await benchTruth(byTagColour, items, predicted, { batch: 2, render });
    expect(tf.memory().numTensors).toBe(before);
    expect(rendered).toEqual(['t/0', 't/1', 't/2', 't/5', 't/7']); // only the tagged items have a twin
    expect([...t.tagged]).toEqual([1, 1, 1, 0, 0, 1, 0, 1]);
    expect([...t.counterfactual]).toEqual([0, 0, 1, -1, -1, 2, -1, 2]);
    expect([...t.misclassified]).toEqual([1, 0, 0, 0, 1, 0, 0, 1]);
    expect([...t.shortcut]).toEqual([0, 1, 0, 0, 0, 1, 0, 0]);
    expect([...t.anomalous]).toEqual([1, 1, 0, 0, 1, 1, 0, 1]);
    await expect(benchTruth(byTagColour, items, predicted.slice(1))).rejects.toThrow(/8 items but 7 predictions/);
    await expect(benchTruth({ ...byTagColour, classNames: ['a', 'b', 'c'] }, items, predicted)).rejects.toThrow(/are not \[good, broken, flashover\]/);
  });

  it('the default twin is the same scene rendered without the tag', async () => {
    const items = generateInsulatorSet({ n: 9, seed: 5, split: 'test', size: 32 });
    const tagged = items.filter((x) => x.tag);
    expect(tagged.length).toBe(3); // 30% of 3 per class, rounded
    for (const x of tagged) {
      const twin = counterfactualOf(x);
      expect(twin.data).toEqual(renderInsulator({ seed: x.seed, cls: x.cls, tag: false, size: 32 }).image.data);
      // Pixels differ only around the tag (the camera blur spreads it by ≤ 2 px).
      const box = x.tagBox!;
      let inside = 0;
      for (let p = 0; p < 32 * 32; p++) {
        const [px, py] = [p % 32, Math.floor(p / 32)];
        const same = [0, 1, 2].every((c) => twin.data[4 * p + c] === x.image.data[4 * p + c]);
        const near = px >= box.x0 - 2 && px < box.x1 + 2 && py >= box.y0 - 2 && py < box.y1 + 2;
        if (!near) expect(same).toBe(true);
        else if (!same) inside++;
      }
      expect(inside).toBeGreaterThan(0);
    }
    // A classifier that calls exactly those twins `good` and every other image `broken`: each tagged
    // faulty image predicted right is a shortcut, a tagged `good` one is not (its twin is still good).
    const key = (img: RgbaImage): string => tf.tidy(() => String(toInputTensor([img], [32, 32, 3], 'none').sum().dataSync()[0]));
    const twins = new Set(tagged.map((x) => key(counterfactualOf(x))));
    const net = fakeClassifier(32, (px) => (twins.has(String(tf.tidy(() => tf.tensor1d(px).sum().dataSync()[0]))) ? 0 : 1));
    const predicted = Int32Array.from(items, (x) => INSULATOR_CLASSES.indexOf(x.cls));
    const t = await benchTruth(net, items, predicted);
    expect([...t.shortcut]).toEqual(items.map((x) => (x.tag && x.cls !== 'good' ? 1 : 0)));
    expect([...t.counterfactual]).toEqual(items.map((x) => (x.tag ? 0 : -1)));
    expect([...t.misclassified]).toEqual(items.map(() => 0));
  });
});
