import type * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from './errors';
import { checkWeightsManifest } from './manifest-check';
import { parseMetadata, type ClassifierMetadata } from './metadata';
import { modelArtifacts } from './model-artifacts';

/** A named blob: a browser `File`, or anything with a name, `text()` and `arrayBuffer()` (Node 20's File too). */
export interface NamedBlob {
  readonly name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What {@link browserModelFiles} found in a set of dropped files. */
export interface ModelFiles {
  /** Reads model.json and the weights it names; pass it to `loadClassifier`. */
  handler: tf.io.IOHandler;
  /** The parsed metadata.json, when one was among the files. */
  metadata?: ClassifierMetadata;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Turns dropped or picked files (any order) into a model handler, without `tf.io.browserFiles`, which
 * hangs forever when a .bin precedes model.json: finds the one model JSON (a JSON with
 * `modelTopology`; metadata.json is recognised and parsed apart), checks that every weight file its
 * manifest names is present (matched by base name), and concatenates the weights in manifest order.
 *
 * @throws ModelLoadError `model-load` (no or several model JSONs, unparsable JSON), `missing-weights` (names the file)
 * @throws MetadataError for a malformed metadata.json
 */
export async function browserModelFiles(files: readonly NamedBlob[]): Promise<ModelFiles> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  let model: { json: tf.io.ModelJSON; name: string } | undefined;
  let metadata: ClassifierMetadata | undefined;
  for (const f of jsons) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await f.text());
    } catch {
      throw new ModelLoadError('model-load', `${f.name} is not valid JSON`);
    }
    if (typeof parsed === 'object' && parsed !== null && 'modelTopology' in parsed) {
      if (model) throw new ModelLoadError('model-load', `two model files were given (${model.name}, ${f.name}); give one model.json`);
      model = { json: parsed as tf.io.ModelJSON, name: f.name };
    } else if (f.name.toLowerCase() === 'metadata.json') {
      metadata = parseMetadata(parsed);
    }
  }
  if (!model) throw new ModelLoadError('model-load', 'no model.json among the files (a JSON with "modelTopology")');
  const json = model.json;
  checkWeightsManifest(json.weightsManifest, model.name);
  const byName = new Map(files.map((f) => [f.name, f]));
  const groups = json.weightsManifest ?? [];
  const paths = groups.flatMap((g) => g.paths);
  for (const p of paths) {
    if (!byName.has(baseName(p))) throw new ModelLoadError('missing-weights', `weight file ${baseName(p)} (named in ${model.name}) is missing`, baseName(p));
  }
  const handler: tf.io.IOHandler = {
    async load() {
      const buffers = await Promise.all(paths.map((p) => (byName.get(baseName(p)) as NamedBlob).arrayBuffer()));
      return modelArtifacts(json, buffers);
    },
  };
  return { handler, metadata };
}
