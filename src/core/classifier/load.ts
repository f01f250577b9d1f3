import * as tf from '@tensorflow/tfjs';
import type { Classifier } from './types';
import { checkLayersTopology } from './topology-check';
import { parseMetadata, type ClassifierMetadata } from './metadata';
import { ModelLoadError } from './errors';
import { checkWeightSpecs } from './manifest-check';
import { wrapLayersModel } from './layers-classifier';
import { wrapGraphModel } from './graph-classifier';

/** Options of {@link loadClassifier}. */
export interface LoadClassifierOptions {
  /** Class names, input size and normalisation (a parsed metadata.json). For an http(s) URL source it is fetched from beside the model when absent. */
  metadata?: ClassifierMetadata;
  /** Give up after this many ms (reading the files and building the model); default 60 000. */
  timeoutMs?: number;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Size in bytes of the weights a manifest describes (quantised weights count at their stored width). */
function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const width = s.quantization ? BYTES[s.quantization.dtype] : BYTES[s.dtype];
    total += n * (width ?? 4);
  }
  return total;
}

function byteLength(data: tf.io.ModelArtifacts['weightData']): number {
  if (!data) return 0;
  return Array.isArray(data) ? data.reduce((a, b) => a + b.byteLength, 0) : data.byteLength;
}

/**
 * Checks the artifacts a handler returned before tfjs sees them, so a missing or short weight file
 * becomes a clear error rather than a cryptic one deep inside tfjs.
 * @throws ModelLoadError
 */
export function checkArtifacts(artifacts: tf.io.ModelArtifacts): void {
  if (!artifacts.modelTopology) throw new ModelLoadError('model-load', 'model.json has no modelTopology');
  const specs = artifacts.weightSpecs ?? [];
  checkWeightSpecs(specs, 'model.json: the weight specs');
  const want = expectedBytes(specs);
  const got = byteLength(artifacts.weightData);
  if (want > 0 && got < want) {
    throw new ModelLoadError('missing-weights', `the weight files hold ${got} bytes but model.json describes ${want}: a weight file is missing or truncated`);
  }
}

/** True when the artifacts describe a GraphModel: `format: 'graph-model'`, or a topology with a `node` list. */
export function isGraphArtifacts(artifacts: tf.io.ModelArtifacts): boolean {
  if (artifacts.format === 'graph-model') return true;
  if (artifacts.format === 'layers-model') return false;
  const topo = artifacts.modelTopology as { node?: unknown } | ArrayBuffer | undefined;
  return !!topo && !(topo instanceof ArrayBuffer) && Array.isArray(topo.node);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ModelLoadError('load-timeout', `${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function fetchMetadata(url: string): Promise<ClassifierMetadata | undefined> {
  try {
    const res = await fetch(new URL('metadata.json', url));
    return res.ok ? parseMetadata(await res.json()) : undefined;
  } catch {
    return undefined; // no metadata beside the model: class names default to indices
  }
}

/**
 * Loads a tfjs image classifier. The model.json's `format` decides between LayersModel and
 * GraphModel: the handler's `load()` runs once, the artifacts are checked (every weight present) and
 * handed to tfjs through `tf.io.fromMemory`.
 *
 * @param source a URL (http(s), indexeddb://, …) or any `tf.io.IOHandler` (the CLI's directory reader,
 *   `browserModelFiles`, `tf.io.fromMemory`)
 * @throws ModelLoadError (`model-load`, `missing-weights`, `load-timeout`), ModelShapeError,
 *   UnsupportedModelError (a GraphModel that needs executeAsync), MetadataError
 */
export async function loadClassifier(source: string | tf.io.IOHandler, opts: LoadClassifierOptions = {}): Promise<Classifier> {
  const ms = opts.timeoutMs ?? 60_000;
  let handler: tf.io.IOHandler;
  let metadata = opts.metadata;
  if (typeof source === 'string') {
    handler = tf.io.getLoadHandlers(source)[0] ?? tf.io.http(source);
    if (!metadata && /^https?:/.test(source)) metadata = await withTimeout(fetchMetadata(source), ms, 'reading metadata.json');
  } else {
    handler = source;
  }
  if (!handler.load) throw new ModelLoadError('model-load', 'the model source cannot be read (its IOHandler has no load())');
  const load = handler.load.bind(handler);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await withTimeout(load(), ms, 'loading the model');
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError('model-load', `could not read the model: ${(err as Error).message}`);
  }
  checkArtifacts(artifacts);
  const memory = tf.io.fromMemory(artifacts);
  if (isGraphArtifacts(artifacts)) {
    // tfjs-converter reads `node` without looking: a layers topology labelled graph-model fails there with a bare TypeError.
    const topo = artifacts.modelTopology;
    if (!(topo instanceof ArrayBuffer) && !Array.isArray((topo as { node?: unknown }).node)) throw new ModelLoadError('model-load', 'model.json says graph-model but its modelTopology has no "node" list');
    const model = await withTimeout(tf.loadGraphModel(memory), ms, 'building the graph model').catch((err: unknown) => {
      throw err instanceof ModelLoadError ? err : new ModelLoadError('model-load', `not a loadable graph model: ${(err as Error).message}`);
    });
    return disposeOnError(model, () => wrapGraphModel(model, artifacts, metadata));
  }
  checkLayersTopology(artifacts.modelTopology);
  const model = await withTimeout(tf.loadLayersModel(memory), ms, 'building the layers model').catch((err: unknown) => {
    if (err instanceof ModelLoadError) throw err;
    // tfjs initialises every layer's weights at the topology's sizes before it reads ours: an absurd
    // size (1e9 filters) fails there as a RangeError ("Invalid typed array length") that says nothing.
    if (err instanceof RangeError) throw new ModelLoadError('model-load', 'not a loadable layers model: its layers are too large to build (a size in model.json, such as filters or units, is absurd)');
    throw new ModelLoadError('model-load', `not a loadable layers model: ${(err as Error).message}`);
  });
  return disposeOnError(model, () => wrapLayersModel(model, metadata));
}

/** Runs `wrap`; if it rejects the model (wrong shape, bad metadata), frees the weights before rethrowing. */
function disposeOnError<T>(model: { dispose(): unknown }, wrap: () => T): T {
  try {
    return wrap();
  } catch (err) {
    model.dispose();
    throw err;
  }
}
