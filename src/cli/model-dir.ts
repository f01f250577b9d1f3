/**
 * Loading a tfjs model from disk in Node: a small IOHandler over model.json and its weight files
 * (tfjs's file:// handler needs tfjs-node, which cannot be installed here), plus metadata.json.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { parseMetadata, type ClassifierMetadata } from '../core/classifier/metadata';
import { ClassifierError } from '../core/classifier/errors';
import { checkWeightsManifest } from '../core/classifier/manifest-check';
import { modelArtifacts } from '../core/classifier/model-artifacts';
import { CliError } from './errors';

/** Resolves `--model` (a model.json, or a directory holding one) to the model.json path. */
export async function modelJsonPath(model: string): Promise<string> {
  const st = await stat(model).catch(() => null);
  if (!st) throw new CliError(`--model ${model} does not exist`);
  return st.isDirectory() ? join(model, 'model.json') : model;
}

/**
 * An IOHandler that reads model.json and every weight file of its manifest (paths relative to the
 * JSON), concatenated in manifest order.
 * @throws CliError (when `load()` runs) for unreadable JSON or a missing weight file, naming it
 */
export function nodeModelHandler(jsonPath: string): tf.io.IOHandler {
  return {
    async load() {
      const text = await readFile(jsonPath, 'utf8').catch(() => {
        throw new CliError(`cannot read model file ${jsonPath}`);
      });
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (err) {
        throw new CliError(`${jsonPath} is not valid JSON: ${(err as Error).message}`);
      }
      if (!json || typeof json !== 'object' || !json.modelTopology) throw new CliError(`${jsonPath} is not a tfjs model.json (no modelTopology)`);
      checkWeightsManifest(json.weightsManifest, jsonPath);
      const groups = json.weightsManifest ?? [];
      const buffers: Uint8Array[] = [];
      for (const p of groups.flatMap((g) => g.paths)) {
        const file = resolve(dirname(jsonPath), p);
        buffers.push(
          await readFile(file).catch(() => {
            throw new CliError(`weight file ${file} named in ${jsonPath} is missing or unreadable`);
          }),
        );
      }
      return modelArtifacts(json, buffers);
    },
  };
}

/** Reads the metadata.json beside a model.json, if there is one. @throws CliError when it exists but is malformed */
export async function readMetadataBeside(jsonPath: string): Promise<ClassifierMetadata | undefined> {
  const path = join(dirname(jsonPath), 'metadata.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseMetadata(JSON.parse(text));
  } catch (err) {
    throw new CliError(`${path}: ${err instanceof ClassifierError ? err.message : `not valid JSON (${(err as Error).message})`}`);
  }
}
