/**
 * Exports a trained functional classifier as a tfjs LayersModel directory (model.json + weights.bin
 * + metadata.json): builds the LayersModel twin, copies the weights, checks that its predictions
 * equal the functional model's, writes the files to a temp dir and renames it into place, then loads
 * the written files back and checks them again.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Architecture, Params } from './architectures';
import { copyIntoModel } from './architectures';

/** Largest |difference| of probabilities tolerated between the twins (float32 op-order noise). */
const TWIN_TOLERANCE = 1e-4;

/** Result of an export. */
export interface ExportResult {
  /** Bytes of model.json + weights.bin. */
  bytes: number;
  /** Largest |p_functional − p_layers| on the check batch, before and after the round trip. */
  maxDiff: number;
}

/** Largest absolute difference between the two models' probabilities on x. */
function twinDiff(arch: Architecture, p: Params, model: tf.LayersModel, x: tf.Tensor4D): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(tf.softmax(arch.forward(p, x)), model.predict(x) as tf.Tensor2D))).dataSync()[0]);
}

/**
 * Writes `dir/model.json`, `dir/weights.bin` and `dir/metadata.json`.
 * @param check a batch [n, h, w, 3] (normalised) to compare the twins on
 * @throws Error when the twins disagree by more than 1e-4.
 */
export async function exportClassifier(arch: Architecture, p: Params, check: tf.Tensor4D, dir: string, metadata: object): Promise<ExportResult> {
  const model = arch.build();
  copyIntoModel(arch, p, model);
  const before = twinDiff(arch, p, model, check);
  if (!(before <= TWIN_TOLERANCE)) throw new Error(`${arch.name}: LayersModel twin differs from the trained network by ${before}`);
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  const a = artifacts as unknown as tf.io.ModelArtifacts;
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData as tf.io.WeightData));
  const modelJson = {
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const json = JSON.stringify(modelJson);
  await writeFile(join(tmp, 'model.json'), json);
  await writeFile(join(tmp, 'weights.bin'), weights);
  await writeFile(join(tmp, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  await mkdir(dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  const after = await reloadDiff(arch, p, dir, check);
  if (!(after <= TWIN_TOLERANCE)) throw new Error(`${arch.name}: the written model differs from the trained network by ${after}`);
  return { bytes: json.length + weights.length, maxDiff: Math.max(before, after) };
}

/** Loads `dir/model.json` + `weights.bin` from disk and compares it with the functional network. */
export async function reloadDiff(arch: Architecture, p: Params, dir: string, x: tf.Tensor4D): Promise<number> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const bin = await readFile(join(dir, 'weights.bin'));
  const data = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: data }));
  const d = twinDiff(arch, p, model, x);
  model.dispose();
  return d;
}
