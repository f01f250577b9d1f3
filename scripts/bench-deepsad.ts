/**
 * `npm run bench:deepsad`: ms per Deep SAD training step (forward + backward + Adam) of mnist_LeNet at
 * batch 128 in Node, on the path APEXP uses (wasm backend + trainableConv2d), against tf.layers on the
 * cpu backend in the same run; plus every conv variant, and the achieved GFLOP/s against each backend's
 * measured matMul GFLOP/s (the ceiling). Prints a table and writes bench-results/deepsad.json.
 *
 * The headline ratio is measured in interleaved rounds (one baseline step on cpu, then three engine
 * steps on wasm, per round; the median of the per-round ratios), so load drift on a shared machine hits
 * both sides alike. The other rows are timed one after another and are only indicative under load.
 *
 * Flags: --reps N (timed steps per row, default 5), --baseline-reps N (default 2: one cpu tf.layers
 * step takes seconds), --rounds N (interleaved rounds, default 3), --skip-baseline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { CONV_VARIANTS, trainableConv2d, type ConvPad } from '../src/core/tf/trainable-conv';
import { defaultConfig, validateConfig } from '../src/core/deepsad/config';
import { runStage, type StageSpec } from '../src/core/deepsad/epochs';
import { deepSadLoss, squaredDistances } from '../src/core/deepsad/loss';
import { buildEncoder } from '../src/core/deepsad/networks/build';
import { createRng } from '../src/core/random';
import { trainDeepSad } from '../src/core/deepsad/train';

const BATCH = 128;
const H = 28;
const REP = 32;

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const REPS = flag('reps', 5);
const BASELINE_REPS = flag('baseline-reps', 2);
const ROUNDS = flag('rounds', 3);
const SKIP_BASELINE = process.argv.includes('--skip-baseline');

/**
 * Forward FLOPs (multiply + add = 2) of mnist_LeNet per image: conv5×5 1→8 at 28×28, conv5×5 8→4 at
 * 14×14, linear 4·7·7 → 32. A training step counts 3× (forward, input gradient, weight gradient).
 */
const FWD_FLOPS_PER_IMAGE = 2 * (H * H * 8 * 25 * 1 + 14 * 14 * 4 * 25 * 8 + 4 * 7 * 7 * REP);
const STEP_FLOPS = 3 * BATCH * FWD_FLOPS_PER_IMAGE;
/**
 * The mirrored decoder's forward FLOPs per image (code 32 viewed as 2×4×4, ×2 upsampling before each
 * transposed conv 5×5: 2→4 at 8×8, 4→8 at 14×14, 8→1 at 28×28); an autoencoder step counts 3 × (encoder + decoder).
 */
const DEC_FLOPS_PER_IMAGE = 2 * (8 * 8 * 4 * 25 * 2 + 14 * 14 * 8 * 25 * 4 + H * H * 1 * 25 * 8);
const AE_STEP_FLOPS = 3 * BATCH * (FWD_FLOPS_PER_IMAGE + DEC_FLOPS_PER_IMAGE);

/** One timed configuration. */
interface Row {
  name: string;
  backend: string;
  msPerStep: number;
  gflops: number;
  /** Loss after the timed steps: all rows train the same function, so it must stay finite. */
  lastLoss: number;
}

/** Runs `warmup` untimed steps then `reps` timed ones; returns the median ms and the last loss. */
function timeSteps(step: () => number, warmup: number, reps: number): { ms: number; loss: number } {
  let loss = NaN;
  for (let i = 0; i < warmup; i++) loss = step();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    loss = step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], loss };
}

/** A seeded batch of digit-like inputs in [0, 1) (the step time does not depend on the pixel values). */
function batchData(): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: BATCH * H * H }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32));
}

/** mnist_LeNet (bias-free, BN without affine, leaky ReLU, max pool) as functions of variables, with a chosen conv. */
function functionalStep(conv: (x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPad) => tf.Tensor4D): { step: () => number; dispose: () => void } {
  const x = tf.tensor4d(batchData(), [BATCH, H, H, 1]);
  const c = tf.fill([REP], 0.1);
  const w1 = tf.tidy(() => tf.variable(tf.randomUniform([5, 5, 1, 8], -0.2, 0.2, 'float32', 1)));
  const w2 = tf.tidy(() => tf.variable(tf.randomUniform([5, 5, 8, 4], -0.07, 0.07, 'float32', 2)));
  const w3 = tf.tidy(() => tf.variable(tf.randomUniform([4 * 7 * 7, REP], -0.07, 0.07, 'float32', 3)));
  const opt = tf.train.adam(1e-4);
  const bn = (t: tf.Tensor4D) => {
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-4))) as tf.Tensor4D;
  };
  const block = (t: tf.Tensor4D, w: tf.Variable) => tf.maxPool(tf.leakyRelu(bn(conv(t, w as tf.Tensor4D, 2)), 0.01), 2, 2, 'valid');
  const loss = () => {
    const h = block(block(x, w1), w2).reshape([BATCH, 4 * 7 * 7]);
    const z = tf.matMul(h as tf.Tensor2D, w3 as tf.Tensor2D);
    return tf.mean(tf.sum(tf.square(tf.sub(z, c)), 1)) as tf.Scalar;
  };
  return {
    step: () => tf.tidy(() => (opt.minimize(loss, true, [w1, w2, w3]) as tf.Scalar).dataSync()[0]),
    dispose: () => {
      tf.dispose([x, c, w1, w2, w3]);
      opt.dispose();
    },
  };
}

/** The baseline: a tf.layers model of the same network, trained with the same loss through Adam. */
function layersStep(): { step: () => number; dispose: () => void } {
  const x = tf.tensor4d(batchData(), [BATCH, H, H, 1]);
  const c = tf.fill([REP], 0.1);
  const model = tf.sequential();
  for (const [i, filters] of [8, 4].entries()) {
    model.add(tf.layers.conv2d({ filters, kernelSize: 5, padding: 'same', useBias: false, ...(i === 0 ? { inputShape: [H, H, 1] } : {}) }));
    // center/scale stay on but frozen: {center:false, scale:false} crashes in training (DESIGN.md).
    model.add(tf.layers.batchNormalization({ epsilon: 1e-4, trainable: false }));
    model.add(tf.layers.leakyReLU({ alpha: 0.01 }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: REP, useBias: false }));
  const opt = tf.train.adam(1e-4);
  const loss = () => {
    const z = model.apply(x, { training: true }) as tf.Tensor2D;
    return tf.mean(tf.sum(tf.square(tf.sub(z, c)), 1)) as tf.Scalar;
  };
  return {
    step: () => tf.tidy(() => (opt.minimize(loss, true) as tf.Scalar).dataSync()[0]),
    dispose: () => {
      tf.dispose([x, c]);
      model.dispose();
      opt.dispose();
    },
  };
}

/**
 * The real thing: one epoch of autoencoder pretraining and one of Deep SAD training through the
 * engine's public `trainDeepSad` (its networks, CoupledAdam, BatchNorm running statistics, finite-loss
 * guard). A step is the time between consecutive `onBatch` calls; the first one of each stage is warm-up.
 */
async function engineSteps(reps: number): Promise<Row[]> {
  const n = BATCH * (reps + 2);
  const semiTargets = new Int8Array(n);
  for (let i = 0; i < n; i += 50) semiTargets[i] = -1;
  const stamps: Record<string, number[]> = { pretrain: [], train: [] };
  let last = { pretrain: NaN, train: NaN };
  const cfg = { ...defaultConfig('mnist_LeNet', [H, H, 1]), nEpochs: 1, aeNEpochs: 1 };
  const before = tf.memory().numTensors;
  const detector = await trainDeepSad({ x: batchData2(n), n, semiTargets }, cfg, {
    onBatch: (stage) => {
      stamps[stage].push(performance.now());
    },
    onEpoch: (e) => {
      last = { ...last, [e.stage]: e.loss };
    },
  });
  detector.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`engine training leaked ${tf.memory().numTensors - before} tensors`);
  const median = (t: number[]) => {
    const d = t.slice(1).map((v, i) => v - t[i]).slice(1).sort((a, b) => a - b);
    return d[Math.floor(d.length / 2)];
  };
  const sad = median(stamps.train);
  const ae = median(stamps.pretrain);
  return [
    { name: 'engine: Deep SAD step (trainDeepSad)', backend: 'wasm', msPerStep: sad, gflops: STEP_FLOPS / (sad * 1e6), lastLoss: last.train },
    { name: 'engine: autoencoder step (pretraining)', backend: 'wasm', msPerStep: ae, gflops: AE_STEP_FLOPS / (ae * 1e6), lastLoss: last.pretrain },
  ];
}

/** `n` images of the seeded inputs of {@link batchData}, repeated. */
function batchData2(n: number): Float32Array {
  const one = batchData();
  const out = new Float32Array(n * H * H);
  for (let off = 0; off < out.length; off += one.length) out.set(one.subarray(0, Math.min(one.length, out.length - off)), off);
  return out;
}

/**
 * One engine Deep SAD step on wasm per call: the engine's own stage loop (`runStage`: batch assembly,
 * loss + gradients, finite check, CoupledAdam, BatchNorm running statistics) over exactly one batch.
 */
function engineStepRunner(): { step: () => Promise<number>; dispose: () => void } {
  const cfg = validateConfig(defaultConfig('mnist_LeNet', [H, H, 1]));
  const rng = createRng(0);
  const encoder = buildEncoder(cfg, rng);
  const c = tf.fill([REP], 0.1) as tf.Tensor1D;
  const semiTargets = new Int8Array(BATCH);
  semiTargets[0] = -1;
  const data = { x: batchData(), n: BATCH, semiTargets };
  const spec: StageSpec = {
    stage: 'train', vars: encoder.params.trainable(), lr: 1e-4, milestones: [], epochs: 1, batchSize: BATCH,
    weightDecay: cfg.weightDecay, inputShape: [H, H, 1],
    loss: (x, y, mode) => deepSadLoss(squaredDistances(encoder.forward(x, mode), c), y, cfg.eta),
  };
  return {
    step: async () => {
      const t0 = performance.now();
      await runStage(spec, data, rng);
      return performance.now() - t0;
    },
    dispose: () => {
      c.dispose();
      encoder.params.dispose();
    },
  };
}

/** Interleaved rounds: per round one cpu tf.layers step and the median of three engine steps on wasm. */
async function interleavedRatio(rounds: number): Promise<{ ratios: number[]; baselineMs: number[]; engineMs: number[] }> {
  await tf.setBackend('wasm');
  const engine = engineStepRunner();
  await engine.step(); // warm-up
  await tf.setBackend('cpu');
  const base = layersStep();
  base.step(); // warm-up
  const out = { ratios: [] as number[], baselineMs: [] as number[], engineMs: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    await tf.setBackend('cpu');
    const t0 = performance.now();
    base.step();
    const tb = performance.now() - t0;
    await tf.setBackend('wasm');
    const te = [await engine.step(), await engine.step(), await engine.step()].sort((a, b) => a - b)[1];
    out.ratios.push(tb / te);
    out.baselineMs.push(tb);
    out.engineMs.push(te);
    process.stderr.write(`  round ${r + 1}/${rounds}: cpu tf.layers ${tb.toFixed(0)} ms, wasm engine ${te.toFixed(0)} ms → ${(tb / te).toFixed(1)}×\n`);
  }
  await tf.setBackend('cpu');
  base.dispose();
  await tf.setBackend('wasm');
  engine.dispose();
  return out;
}

/** Measured GFLOP/s of an n×n·n×n matMul on the active backend: the ceiling for the steps. */
function matMulCeiling(n: number, reps: number): number {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const { ms } = timeSteps(() => tf.tidy(() => tf.matMul(a, b).dataSync()[0]), 1, reps);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms * 1e6);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const ceilings: Record<string, number> = {};
  const run = (name: string, backend: string, make: () => { step: () => number; dispose: () => void }, warmup: number, reps: number) => {
    const before = tf.memory().numTensors;
    const m = make();
    const { ms, loss } = timeSteps(m.step, warmup, reps);
    m.dispose();
    if (tf.memory().numTensors !== before) throw new Error(`${name} leaked ${tf.memory().numTensors - before} tensors`);
    rows.push({ name, backend, msPerStep: ms, gflops: STEP_FLOPS / (ms * 1e6), lastLoss: loss });
    process.stderr.write(`  ${backend.padEnd(5)} ${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms/step\n`);
  };

  await tf.setBackend('cpu');
  await tf.ready();
  process.stderr.write('cpu backend\n');
  ceilings.cpu = matMulCeiling(512, 2);
  if (!SKIP_BASELINE) run('tf.layers conv2d (baseline)', 'cpu', layersStep, 1, BASELINE_REPS);
  run('functional, conv3d', 'cpu', () => functionalStep(CONV_VARIANTS.conv3d), 1, BASELINE_REPS);

  await tf.setBackend('wasm');
  await tf.ready();
  process.stderr.write('wasm backend\n');
  ceilings.wasm = matMulCeiling(1024, 3);
  run('functional, conv3d', 'wasm', () => functionalStep(CONV_VARIANTS.conv3d), 2, REPS);
  run('functional, shiftT', 'wasm', () => functionalStep(CONV_VARIANTS.shiftT), 2, REPS);
  run('functional, trainableConv2d (auto)', 'wasm', () => functionalStep(trainableConv2d), 2, REPS);
  for (const r of await engineSteps(REPS)) {
    rows.push(r);
    process.stderr.write(`  ${r.backend.padEnd(5)} ${r.name.padEnd(44)} ${r.msPerStep.toFixed(0).padStart(7)} ms/step\n`);
  }

  process.stderr.write('interleaved rounds (cpu tf.layers vs wasm engine step)\n');
  const inter = SKIP_BASELINE ? null : await interleavedRatio(ROUNDS);
  const medianOf = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const baseline = rows.find((r) => r.name.includes('baseline'));
  const chosen = rows.find((r) => r.name.startsWith('engine: Deep SAD step')) ?? rows[rows.length - 1];
  const table = [
    '| backend | step | ms/step | GFLOP/s | % of matMul ceiling | × baseline (sequential) |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const pct = ((100 * r.gflops) / ceilings[r.backend]).toFixed(1);
      const ratio = baseline ? (baseline.msPerStep / r.msPerStep).toFixed(1) : '–';
      return `| ${r.backend} | ${r.name} | ${r.msPerStep.toFixed(0)} | ${r.gflops.toFixed(2)} | ${pct} | ${ratio} |`;
    }),
  ].join('\n');
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load avg ${os.loadavg().map((l) => l.toFixed(1)).join('/')}`,
    batch: BATCH,
    step_mflop: STEP_FLOPS / 1e6,
    matmul_ceiling_gflops: ceilings,
    rows,
    speedup_vs_baseline: inter ? medianOf(inter.ratios) : null,
    interleaved: inter,
    chosen: chosen.name,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/deepsad.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`mnist_LeNet, batch ${BATCH}, ${(STEP_FLOPS / 1e6).toFixed(1)} MFLOP per step (3 × forward conv + dense)`);
  console.log(`matMul ceiling: wasm ${ceilings.wasm.toFixed(1)} GFLOP/s (1024³), cpu ${ceilings.cpu.toFixed(2)} GFLOP/s (512³)`);
  console.log(table);
  if (inter) {
    console.log(
      `\ninterleaved, ${ROUNDS} rounds: engine Deep SAD step on wasm ${medianOf(inter.engineMs).toFixed(0)} ms vs cpu tf.layers ` +
        `${medianOf(inter.baselineMs).toFixed(0)} ms: median ratio ${medianOf(inter.ratios).toFixed(1)}× (rounds: ${inter.ratios.map((r) => r.toFixed(1)).join(', ')})`,
    );
  }
  console.log(`machine: ${result.machine}`);
}

await main();
