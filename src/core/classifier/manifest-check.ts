import { ModelLoadError } from './errors';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks the weight specs of a manifest group (or a handler's flattened `weightSpecs`) before anything
 * reads them: a hand-edited or cut model.json otherwise fails deep in tfjs or in our byte count with a
 * TypeError ("n.shape.reduce is not a function") that names nothing.
 * @param where how the message names the list, e.g. `model.json: weightsManifest[0].weights`
 * @throws ModelLoadError `model-load`, naming the entry and the field
 */
export function checkWeightSpecs(specs: unknown, where: string): void {
  if (!Array.isArray(specs)) throw new ModelLoadError('model-load', `${where} must be a list of weight specs`);
  specs.forEach((s: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(s)) throw new ModelLoadError('model-load', `${at} must be a {name, shape, dtype} object`);
    if (typeof s.name !== 'string' || !s.name) throw new ModelLoadError('model-load', `${at}.name must be a non-empty string`);
    if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ModelLoadError('model-load', `${at}.shape must be a list of non-negative integers`);
    if (typeof s.dtype !== 'string') throw new ModelLoadError('model-load', `${at}.dtype must be a string`);
    if (s.quantization !== undefined && !isObject(s.quantization)) throw new ModelLoadError('model-load', `${at}.quantization must be an object`);
  });
}

/**
 * Checks model.json's `weightsManifest` (absent = no weights): a list of groups, each with `paths`
 * (non-empty strings) and `weights` (see {@link checkWeightSpecs}).
 * @param file the model file's name, for the message
 * @throws ModelLoadError `model-load`, naming the file and the field
 */
export function checkWeightsManifest(manifest: unknown, file: string): void {
  if (manifest === undefined) return;
  if (!Array.isArray(manifest)) throw new ModelLoadError('model-load', `${file}: weightsManifest must be a list of {paths, weights} groups`);
  manifest.forEach((g: unknown, i) => {
    const at = `${file}: weightsManifest[${i}]`;
    if (!isObject(g)) throw new ModelLoadError('model-load', `${at} must be a {paths, weights} object`);
    if (!Array.isArray(g.paths) || !g.paths.every((p) => typeof p === 'string' && p.length > 0)) throw new ModelLoadError('model-load', `${at}.paths must be a list of file names`);
    checkWeightSpecs(g.weights, `${at}.weights`);
  });
}
