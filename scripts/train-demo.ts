/**
 * `npm run train:demo`: trains the two bundled insulator classifiers (vgg_small, resnet_small) on the
 * same BIASED training split (ID tags co-occur with `broken`), measures them on the UNBIASED test
 * split, and writes public/models/<name>/{model.json, weights.bin, metadata.json}.
 *
 * Reproducible: the data, the weight init and the shuffling all derive from --seed; the wasm
 * backend runs single-threaded. Options: --seed N (1), --n-train N (4500), --n-test N (1500),
 * --epochs N, --only vgg_small|resnet_small, --out DIR (public/models), --tag-rate-faulty F and
 * --tag-rate-other F (override DEFAULT_TAG_BIAS, for tuning it).
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import type { TagBias } from '../src/core/data/insulator';
import { DEFAULT_TAG_BIAS, generateInsulatorSet, INSULATOR_CLASSES, TEST_TAG_RATE } from '../src/core/data/insulator';
import type { ArchitectureName } from './demo-classifier/architectures';
import { architecture, initParams } from './demo-classifier/architectures';
import { toInputs } from './demo-classifier/data';
import { evaluatePredictions, predictClasses } from './demo-classifier/evaluate';
import { exportClassifier } from './demo-classifier/export';
import type { TrainRecipe } from './demo-classifier/train';
import { trainClassifier } from './demo-classifier/train';

/**
 * Per-architecture recipe (the seed is filled in from --seed). resnet_small stops after 4 epochs
 * (its milestone is never reached): trained for 8 it learnt the defects so well that it ignored the
 * tag on `good` shells (shortcut rate 0.07, tag-free accuracy 0.97); after 4 it still reads it.
 */
const RECIPES: Record<ArchitectureName, Omit<TrainRecipe, 'seed'>> = {
  vgg_small: { epochs: 8, batchSize: 32, lr: 2e-3, lrMilestone: 6, lrDecay: 0.2 },
  resnet_small: { epochs: 4, batchSize: 32, lr: 2e-3, lrMilestone: 6, lrDecay: 0.2 },
};

/** Which conv layer Grad-CAM should explain by default (the last 4-D layer with > 1×1 cells). */
const GRADCAM_LAYER: Record<ArchitectureName, string> = { vgg_small: 'conv_4', resnet_small: 'res_relu' };

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      'n-train': { type: 'string', default: '4500' },
      'n-test': { type: 'string', default: '1500' },
      epochs: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string', default: 'public/models' },
      'tag-rate-faulty': { type: 'string' },
      'tag-rate-other': { type: 'string' },
    },
  });
  const tagBias: TagBias = {
    ...DEFAULT_TAG_BIAS,
    ...(values['tag-rate-faulty'] ? { rateFaulty: Number(values['tag-rate-faulty']) } : {}),
    ...(values['tag-rate-other'] ? { rateOther: Number(values['tag-rate-other']) } : {}),
  };
  const seed = Number(values.seed);
  const nTrain = Number(values['n-train']);
  const nTest = Number(values['n-test']);
  const names: ArchitectureName[] = values.only ? [values.only as ArchitectureName] : ['vgg_small', 'resnet_small'];
  for (const n of names) if (n !== 'vgg_small' && n !== 'resnet_small') throw new Error(`--only must be vgg_small or resnet_small, got ${n}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const t0 = performance.now();
  const train = generateInsulatorSet({ n: nTrain, seed, split: 'train', tagBias });
  const test = generateInsulatorSet({ n: nTest, seed, split: 'test' });
  log(`data: ${nTrain} train + ${nTest} test images in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const check = toInputs(test, 0, 32);
  const summary: Record<string, unknown> = {};
  for (const name of names) {
    const arch = architecture(name);
    // The same derived seed for every model, so `--only NAME` reproduces what the full run writes.
    const recipe: TrainRecipe = { ...RECIPES[name], seed: seed * 1000, ...(values.epochs ? { epochs: Number(values.epochs) } : {}) };
    const p = initParams(arch, seed * 1000);
    const nParams = Object.values(p).reduce((s, v) => s + v.size, 0);
    log(`${name}: ${nParams} parameters, recipe ${JSON.stringify(recipe)}`);
    const t1 = performance.now();
    await trainClassifier(arch, p, train, recipe, (e) =>
      log(`${name} epoch ${e.epoch}/${recipe.epochs} loss ${e.loss.toFixed(4)} train-acc ${e.accuracy.toFixed(3)} (${e.seconds.toFixed(0)} s, ${e.numTensors} tensors)`),
    );
    const trainSeconds = (performance.now() - t1) / 1000;
    const ev = evaluatePredictions(test, await predictClasses((x) => arch.forward(p, x), test));
    log(`${name}: tag-free accuracy ${ev.tagfree_accuracy.toFixed(3)}, shortcut rate ${ev.shortcut_rate.toFixed(3)}, accuracy ${ev.accuracy.toFixed(3)} (${trainSeconds.toFixed(0)} s)`);
    const metadata = {
      name,
      description: `${name}: demo insulator-shell classifier (good / broken / flashover) trained on synthetic drone crops whose ID tags co-occur with 'broken': it learnt the defects and, partly, the tag shortcut.`,
      labels: [...INSULATOR_CLASSES],
      inputSize: [arch.inputShape[0], arch.inputShape[1]],
      normalization: 'unit',
      gradcamLayer: GRADCAM_LAYER[name],
      seed,
      recipe: { ...recipe, optimizer: 'adam', loss: 'softmax cross-entropy', backend: tf.getBackend(), trainSeconds: Math.round(trainSeconds), parameters: nParams },
      data: {
        generator: 'src/core/data/insulator (generateInsulatorSet)',
        train: { split: 'train', n: nTrain, seed, tagBias },
        test: { split: 'test', n: nTest, seed, tagRate: TEST_TAG_RATE },
      },
      tagfree_accuracy: ev.tagfree_accuracy,
      shortcut_rate: ev.shortcut_rate,
      test: ev,
      createdBy: 'npm run train:demo',
    };
    const res = await exportClassifier(arch, p, check, `${values.out}/${name}`, metadata);
    log(`${name}: wrote ${values.out}/${name} (${(res.bytes / 1024).toFixed(1)} KiB, twin max diff ${res.maxDiff.toExponential(1)})`);
    summary[name] = { tagfree_accuracy: ev.tagfree_accuracy, shortcut_rate: ev.shortcut_rate, accuracy: ev.accuracy, train_seconds: Math.round(trainSeconds), bytes: res.bytes };
    Object.values(p).forEach((v) => v.dispose());
  }
  check.dispose();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`train-demo: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
