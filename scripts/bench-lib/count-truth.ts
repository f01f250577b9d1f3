/**
 * `npx tsx scripts/bench-lib/count-truth.ts`: how many shortcut cases and misclassified images
 * (truth.ts) a split of n images has, per bundled classifier and seed: rendering and prediction
 * only, no Grad-CAM. Used to size bench:audit's --n-test so every (classifier, seed) has enough
 * shortcut cases for a recall to mean something.
 * Options: --split test|reference (test), --seeds a,b,… (1,2,3,1001,1002,1003), --n a,b,… (600),
 * --models a,b (vgg_small,resnet_small), --models-dir DIR (public/models), --json FILE (also write the rows).
 * Prints a markdown table, then per n the fewest shortcut cases over the (classifier, seed) pairs,
 * then each classifier's pooled shortcut rate.
 * Runs on the wasm backend, as bench:audit does, so the predictions are the benchmark's.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateInsulatorSet, INSULATOR_CLASSES, INSULATOR_SPLITS, type InsulatorSplit } from '../../src/core/data/insulator';
import { loadBundledClassifier } from './classifier';
import { predictClasses } from './predict';
import { benchTruth, truthCounts } from './truth';

/** One measured (classifier, seed, n) cell: numbers of images. */
interface CountRow {
  classifier: string;
  seed: number;
  n: number;
  tagged: number;
  misclassified: number;
  shortcut: number;
  /** Tagged, misclassified, and the tag-free twin predicted right: errors the tag caused (a diagnostic, not a truth flag). */
  tagCausedErrors: number;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const ints = (s: string, what: string): number[] =>
  s.split(',').map((v) => {
    const x = Number(v);
    if (!Number.isInteger(x)) throw new Error(`--${what} takes integers, got "${v}"`);
    return x;
  });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'test' },
      seeds: { type: 'string', default: '1,2,3,1001,1002,1003' },
      n: { type: 'string', default: '600' },
      models: { type: 'string', default: 'vgg_small,resnet_small' },
      'models-dir': { type: 'string', default: join('public', 'models') },
      json: { type: 'string' },
    },
  });
  const split = values.split as InsulatorSplit;
  if (!INSULATOR_SPLITS.includes(split)) throw new Error(`--split must be one of ${INSULATOR_SPLITS.join(', ')}`);
  const [seeds, sizes] = [ints(values.seeds as string, 'seeds'), ints(values.n as string, 'n')];
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  const rows: CountRow[] = [];
  const t0 = performance.now();
  const names = (values.models as string).split(',');
  const classifiers = await Promise.all(names.map((name) => loadBundledClassifier(values['models-dir'] as string, name)));
  try {
    for (const seed of seeds) {
      for (const n of sizes) {
        // Tags are planted exactly per class for the whole split, so a split of n is not a prefix of a larger one: render each n.
        const items = generateInsulatorSet({ n, seed, split });
        for (const [j, cls] of classifiers.entries()) {
          const predicted = await predictClasses(cls, items.map((x) => x.image));
          const t = await benchTruth(cls, items, predicted);
          const c = truthCounts(t);
          const tagCausedErrors = items.filter((x, i) => t.misclassified[i] && t.tagged[i] && t.counterfactual[i] === INSULATOR_CLASSES.indexOf(x.cls)).length;
          rows.push({ classifier: names[j], seed, n, tagged: c.tagged, misclassified: c.misclassified, shortcut: c.shortcut, tagCausedErrors });
          log(`${names[j]} seed ${seed} n ${n}: shortcut ${c.shortcut}, misclassified ${c.misclassified}, tagged ${c.tagged}, tag-caused errors ${tagCausedErrors} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        }
      }
    }
  } finally {
    for (const cls of classifiers) cls.dispose();
  }
  rows.sort((a, b) => names.indexOf(a.classifier) - names.indexOf(b.classifier) || seeds.indexOf(a.seed) - seeds.indexOf(b.seed) || a.n - b.n);
  const out = [`${split} split; shortcut = tagged, right, and the tag-free twin predicted otherwise (scripts/bench-lib/truth.ts)`, '', '| classifier | seed | n | shortcut | misclassified | tagged | shortcut / n | tag-caused errors |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.classifier} | ${r.seed} | ${r.n} | ${r.shortcut} | ${r.misclassified} | ${r.tagged} | ${(r.shortcut / r.n).toFixed(4)} | ${r.tagCausedErrors} |`);
  out.push('');
  for (const n of sizes) {
    const at = rows.filter((r) => r.n === n);
    const min = at.reduce((a, r) => (r.shortcut < a.shortcut ? r : a));
    out.push(`n ${n}: fewest shortcut cases ${min.shortcut} (${min.classifier}, seed ${min.seed})`);
  }
  out.push('');
  // Pooled over seeds and sizes: the rate per image, and the n at which a split expects 30 shortcut cases.
  for (const name of names) {
    const at = rows.filter((r) => r.classifier === name);
    const rate = at.reduce((a, r) => a + r.shortcut, 0) / at.reduce((a, r) => a + r.n, 0);
    out.push(`${name}: ${(100 * rate).toFixed(3)}% of images are shortcut cases (pooled); 30 expected at n ≈ ${rate > 0 ? Math.round(30 / rate) : '∞'}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (values.json) await writeFile(values.json as string, `${JSON.stringify({ split, seeds, n: sizes, rows }, null, 2)}\n`);
  log(`${rows.length} sets in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`count-truth: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
