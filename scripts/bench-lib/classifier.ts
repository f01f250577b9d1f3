/** Loads a bundled demo classifier (public/models/<name>) in Node, as every benchmark does. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadClassifier } from '../../src/core/classifier/load';
import { parseMetadata } from '../../src/core/classifier/metadata';
import type { Classifier } from '../../src/core/classifier/types';
import { nodeModelHandler } from '../../src/cli/model-dir';

/** The classifier in `<modelsDir>/<name>/` (model.json, weights, metadata.json) on the active backend; the caller disposes it. */
export async function loadBundledClassifier(modelsDir: string, name: string): Promise<Classifier> {
  const dir = join(modelsDir, name);
  const meta = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
  return loadClassifier(nodeModelHandler(join(dir, 'model.json')), { metadata: parseMetadata(meta) });
}
