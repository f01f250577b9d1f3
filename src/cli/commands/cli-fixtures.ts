// Test-only helpers for the CLI tests: a tiny classifier saved as model.json + weights.bin, and
// generated PNGs. Not part of the CLI.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { vi } from 'vitest';
import { main } from '../main';

/** Writes a LayersModel as model.json + one weight file (+ metadata.json when given) into `dir`. */
export async function saveModelDir(model: tf.LayersModel, dir: string, metadata?: object): Promise<string> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        format: a.format ?? 'layers-model',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (metadata) await writeFile(join(dir, 'metadata.json'), JSON.stringify(metadata));
  return join(dir, 'model.json');
}

/**
 * A tiny 16×16 RGB classifier with 2 classes: "bright" when the left half is brighter than the right.
 * Hand-set weights, so it is deterministic: conv 1×1 (identity on the mean channel) → relu → 2×2 conv
 * pairs → global average → dense logits ±(left − right) → softmax.
 */
export function tinyClassifier(): tf.LayersModel {
  const inp = tf.input({ shape: [16, 16, 3] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' });
  const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' });
  const flat = tf.layers.flatten();
  const dense = tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' });
  const model = tf.model({ inputs: inp, outputs: dense.apply(flat.apply(pool.apply(conv.apply(inp)))) as tf.SymbolicTensor });
  // conv channel 0 = mean brightness, channel 1 = 1 − mean brightness (both through relu)
  const k = new Float32Array(3 * 3 * 3 * 2);
  for (let c = 0; c < 3; c++) {
    const centre = ((1 * 3 + 1) * 3 + c) * 2;
    k[centre] = 1 / 3;
    k[centre + 1] = -1 / 3;
  }
  conv.setWeights([tf.tensor4d(k, [3, 3, 3, 2]), tf.tensor1d([0, 1])]);
  // dense: class 0 ("left bright") = Σ left-half brightness − Σ right-half brightness, class 1 the opposite
  const w = new Float32Array(8 * 8 * 2 * 2);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const s = x < 4 ? 1 : -1;
      const at = ((y * 8 + x) * 2 + 0) * 2;
      w[at] = 0.2 * s;
      w[at + 1] = -0.2 * s;
    }
  }
  dense.setWeights([tf.tensor2d(w, [128, 2]), tf.zeros([2])]);
  return model;
}

/** Writes `n` 16×16 PNGs into `dir` (some bright left, some bright right); returns their ids and which side is bright. */
export async function writeImages(dir: string, n: number): Promise<{ id: string; left: boolean }[]> {
  await mkdir(dir, { recursive: true });
  const out: { id: string; left: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const left = i % 3 !== 0;
    const px = Buffer.alloc(16 * 16 * 3);
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        const bright = (x < 8) === left;
        const v = bright ? 180 + ((x * 7 + y * 3 + i * 11) % 60) : 20 + ((x * 5 + y * 13 + i * 7) % 40);
        px.fill(v, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
      }
    }
    const id = `img-${String(i).padStart(3, '0')}.png`;
    await sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(join(dir, id));
    out.push({ id, left });
  }
  return out;
}

/**
 * Runs the CLI in-process and returns its exit code and what it wrote to stderr. With `timeoutMs`,
 * a run that has not ended by then resolves `'hung'` (the fuzz tests' bound).
 */
export async function runCli(argv: string[], opts: { timeoutMs?: number } = {}): Promise<{ code: number | 'hung'; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const run = main(argv);
    const code = opts.timeoutMs ? await Promise.race([run, new Promise<'hung'>((r) => setTimeout(() => r('hung'), opts.timeoutMs))]) : await run;
    return { code, err };
  } finally {
    spy.mockRestore();
  }
}
