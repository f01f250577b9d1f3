/**
 * `npm run bench:gradcam`: batched Grad-CAM (`createGradCam(...).explain`, one forward + one backward for
 * the whole batch) against, in the same run on the same model and images,
 *   - a per-image loop written the way tfjs-examples visualize-convnet `cam.js` does it: predict one
 *     image, read its class back synchronously, forward to the target layer, `tf.grad` of that one logit
 *     through the head, weight, ReLU, normalise, resize, read back; and
 *   - plain `predict` of the batch (read back).
 * Models: the demo classifiers' architectures (scripts/demo-classifier: vgg_small, resnet_small) at
 * 64 and 128 px, plus nsfwjs's MobileNetV2 (224 px, 162 layers) when nsfwjs is installed (dev dependency).
 * Each round times predict, batched Grad-CAM and the loop back to back (after one warm-up round); the
 * table shows median times and the median of the per-round ratios. Prints a Markdown table and writes
 * bench-results/gradcam.json.
 *
 * Flags: --backend wasm|cpu (default wasm), --batch N (default 32), --reps N (default 7), --skip-mobilenet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadClassifier } from '../src/core/classifier/load';
import type { Classifier } from '../src/core/classifier/types';
import { createGradCam } from '../src/core/gradcam/grad-cam';
import { architecture } from './demo-classifier/architectures';

function flag(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const BACKEND = flag('backend', 'wasm');
const BATCH = Number(flag('batch', '32'));
const REPS = Number(flag('reps', '7'));
const SIZE: [number, number] = [32, 32];

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return saved as tf.io.ModelArtifacts;
}

const med = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Times each function once per round, round-robin, after one warm-up round, so that load changes on a
 * shared machine hit all of them alike; returns every function's times and the per-round ratios.
 */
async function interleaved(reps: number, fns: (() => Promise<unknown>)[]): Promise<number[][]> {
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r <= reps; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t0 = performance.now();
      await fns[i]();
      if (r > 0) times[i].push(performance.now() - t0);
    }
  }
  return times;
}

/** The cam.js way, one image at a time (on the same split, so any architecture works). */
async function perImageLoop(clf: Classifier, x: tf.Tensor4D, layer: string): Promise<Float32Array> {
  const split = clf.split(layer);
  const n = x.shape[0];
  const out = new Float32Array(n * SIZE[0] * SIZE[1]);
  try {
    for (let i = 0; i < n; i++) {
      const map = tf.tidy(() => {
        const xi = x.slice([i, 0, 0, 0], [1, -1, -1, -1]);
        const k = clf.predict(xi).argMax(1).dataSync()[0];
        const { activations, head } = split.forward(xi);
        const g = tf.grad((a: tf.Tensor) => head(a as tf.Tensor4D).slice([0, k], [1, 1]).sum())(activations);
        const cam = activations.mul(g.mean([0, 1, 2])).sum(-1).relu();
        const normed = cam.div(cam.max().maximum(1e-30));
        return tf.image.resizeBilinear(normed.expandDims(-1) as tf.Tensor3D, SIZE, false, true).dataSync() as Float32Array;
      });
      out.set(map, i * SIZE[0] * SIZE[1]);
    }
  } finally {
    split.dispose();
  }
  return out;
}

interface Row {
  model: string;
  input: string;
  layer: string;
  batch: number;
  predict_ms: number;
  gradcam_ms: number;
  loop_ms: number;
  gradcam_over_predict: number;
  speedup_vs_loop: number;
  gradcam_images_per_s: number;
  loop_images_per_s: number;
  max_map_diff: number;
}

async function benchModel(name: string, clf: Classifier, batch: number): Promise<Row> {
  const [h, w, c] = clf.inputShape;
  const x = tf.randomUniform([batch, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
  const cam = createGradCam(clf, { size: SIZE });
  const before = tf.memory().numTensors;
  let batched: Float32Array = new Float32Array(0);
  let loop: Float32Array = new Float32Array(0);
  const [p, g, l] = await interleaved(REPS, [
    async () => {
      const y = clf.predict(x);
      await y.data();
      y.dispose();
    },
    async () => (batched = (await cam.explain(x)).heatmaps),
    async () => (loop = await perImageLoop(clf, x, cam.layer)),
  ]);
  const [predictMs, gradcamMs, loopMs] = [med(p), med(g), med(l)];
  if (tf.memory().numTensors !== before) throw new Error(`${name}: ${tf.memory().numTensors - before} tensors leaked`);
  let diff = 0;
  for (let i = 0; i < loop.length; i++) diff = Math.max(diff, Math.abs(loop[i] - batched[i]));
  cam.dispose();
  x.dispose();
  return {
    model: name,
    input: `${h}×${w}×${c}`,
    layer: cam.layer,
    batch,
    predict_ms: predictMs,
    gradcam_ms: gradcamMs,
    loop_ms: loopMs,
    gradcam_over_predict: med(g.map((t, i) => t / p[i])),
    speedup_vs_loop: med(l.map((t, i) => t / g[i])),
    gradcam_images_per_s: (1000 * batch) / gradcamMs,
    loop_images_per_s: (1000 * batch) / loopMs,
    max_map_diff: diff,
  };
}

async function mobilenet(): Promise<Classifier | null> {
  if (process.argv.includes('--skip-mobilenet')) return null;
  try {
    const pkg = 'nsfwjs'; // optional dev dependency: a variable keeps tsc from requiring it
    const nsfw = (await import(pkg)) as unknown as { load(name: string): Promise<{ model: tf.LayersModel }> };
    const m = await nsfw.load('MobileNetV2');
    return loadClassifier(tf.io.fromMemory(await artifactsOf(m.model)));
  } catch (err) {
    process.stderr.write(`nsfwjs MobileNetV2 not available (${(err as Error).message.split('\n')[0]}); skipping it\n`);
    return null;
  }
}

async function main(): Promise<void> {
  if (!(await tf.setBackend(BACKEND))) throw new Error(`backend ${BACKEND} did not start`);
  await tf.ready();
  const rows: Row[] = [];
  for (const [arch, size] of [['vgg_small', 64], ['resnet_small', 64], ['vgg_small', 128]] as const) {
    const a = architecture(arch, size);
    const clf = await loadClassifier(tf.io.fromMemory(await artifactsOf(a.build())));
    rows.push(await benchModel(`${arch} (demo architecture, untrained)`, clf, BATCH));
    clf.dispose();
    process.stderr.write(`${rows[rows.length - 1].model} @${size}: done\n`);
  }
  const mn = await mobilenet();
  if (mn) {
    rows.push(await benchModel('nsfwjs MobileNetV2', mn, Math.min(BATCH, 16)));
    mn.dispose();
  }
  const f = (v: number, d = 1) => v.toFixed(d);
  const table = [
    '| model | input | target layer | batch | predict ms | batched Grad-CAM ms | per-image loop ms | Grad-CAM / predict | batched speed-up | Grad-CAM images/s | loop images/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.model} | ${r.input} | ${r.layer} | ${r.batch} | ${f(r.predict_ms)} | ${f(r.gradcam_ms)} | ${f(r.loop_ms)} | ${f(r.gradcam_over_predict, 2)} | ${f(r.speedup_vs_loop, 2)}× | ${f(r.gradcam_images_per_s)} | ${f(r.loop_images_per_s)} |`),
  ].join('\n');
  process.stdout.write(`backend ${tf.getBackend()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), median of ${REPS} interleaved rounds\n\n${table}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/gradcam.json', `${JSON.stringify({ backend: tf.getBackend(), cpus: os.cpus().length, reps: REPS, rows }, null, 2)}\n`);
}

await main();
