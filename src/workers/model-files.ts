/**
 * Validates dropped model files before tfjs sees them (tfjs.md §6): `tf.io.browserFiles` hangs forever
 * when a weight file comes before model.json, and fails late when a manifest path is missing.
 * So: exactly one model.json, parsed here; its manifest well-formed (core's checkWeightsManifest, which
 * throws ModelLoadError naming the file); every manifest path present; model.json first.
 */
import * as tf from '@tensorflow/tfjs';
import { checkWeightsManifest } from '../core/classifier/manifest-check';

/** Why dropped model files were rejected. */
export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
  constructor(
    message: string,
    readonly code: 'no-model-json' | 'bad-json' | 'not-a-model' | 'missing-weights' | 'bad-metadata',
  ) {
    super(message);
  }
}

function baseName(p: string): string {
  return p.split('/').pop() ?? p;
}

/** An IOHandler over validated files, plus the parsed metadata.json when one was dropped. */
export async function modelFilesHandler(files: File[]): Promise<{ handler: tf.io.IOHandler; metadata?: unknown }> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const metaFile = jsons.find((f) => f.name === 'metadata.json');
  const modelFile = jsons.find((f) => f.name === 'model.json') ?? jsons.find((f) => f !== metaFile);
  if (!modelFile) throw new ModelFilesError('no model.json among the dropped files', 'no-model-json');
  let topology: { modelTopology?: unknown; weightsManifest?: { paths: string[] }[] };
  try {
    topology = JSON.parse(await modelFile.text());
  } catch (err) {
    throw new ModelFilesError(`${modelFile.name} is not valid JSON (${(err as Error).message})`, 'bad-json');
  }
  if (!topology || typeof topology !== 'object' || !topology.modelTopology || !Array.isArray(topology.weightsManifest)) {
    throw new ModelFilesError(`${modelFile.name} is not a tfjs model (no modelTopology/weightsManifest)`, 'not-a-model');
  }
  checkWeightsManifest(topology.weightsManifest, modelFile.name);
  const paths = topology.weightsManifest.flatMap((g) => g.paths).map(baseName);
  const byName = new Map(files.map((f) => [f.name, f]));
  const missing = paths.filter((p) => !byName.has(p));
  if (missing.length) throw new ModelFilesError(`missing weight file(s): ${missing.join(', ')}`, 'missing-weights');
  let metadata: unknown;
  if (metaFile) {
    try {
      metadata = JSON.parse(await metaFile.text());
    } catch (err) {
      throw new ModelFilesError(`metadata.json is not valid JSON (${(err as Error).message})`, 'bad-metadata');
    }
  }
  const weights = [...new Set(paths)].map((p) => byName.get(p)!);
  return { handler: tf.io.browserFiles([modelFile, ...weights]), metadata };
}
