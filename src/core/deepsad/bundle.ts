/** Packing a detector's encoder weights, c and config into a {@link DetectorBundle}, and unpacking them. */
import * as tf from '@tensorflow/tfjs';
import { DetectorFormatError } from './errors';
import type { ParamSet } from './networks/params';
import type { DeepSadConfig, DetectorBundle } from './types';

/** The bundle's `format` tag and the only `version` this code reads and writes. */
export const BUNDLE_FORMAT = 'apexp-deepsad';
export const BUNDLE_VERSION = 1;

/** Reads every variable of `params` (weights and BN running statistics) into a bundle. */
export async function packBundle(config: DeepSadConfig, c: Float32Array, params: ParamSet): Promise<DetectorBundle> {
  const arrays = await Promise.all(params.entries.map((e) => e.variable.data() as Promise<Float32Array>));
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const data = new Float32Array(total);
  let off = 0;
  for (const a of arrays) {
    data.set(a, off);
    off += a.length;
  }
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    config: structuredClone(config),
    c: Array.from(c),
    weightSpecs: params.entries.map((e) => ({ name: e.name, shape: [...e.variable.shape] })),
    weightData: data.buffer,
  };
}

/**
 * Writes the bundle's weights into `params`, which must have been built from the same config.
 * @throws DetectorFormatError (code 'weights') when names, shapes or the byte length differ.
 */
export function unpackWeights(bundle: DetectorBundle, params: ParamSet): void {
  const specs = bundle.weightSpecs;
  const entries = params.entries;
  if (!Array.isArray(specs) || specs.length !== entries.length) {
    throw new DetectorFormatError(`detector weights: expected ${entries.length} tensors for ${bundle.config.net}, found ${Array.isArray(specs) ? specs.length : 'none'}`, 'weights');
  }
  const total = entries.reduce((s, e) => s + e.variable.size, 0);
  if (!(bundle.weightData instanceof ArrayBuffer) || bundle.weightData.byteLength !== total * 4) {
    throw new DetectorFormatError(`detector weights: expected ${total * 4} bytes, found ${bundle.weightData?.byteLength ?? 'none'}`, 'weights');
  }
  const data = new Float32Array(bundle.weightData);
  let off = 0;
  entries.forEach((e, i) => {
    const s = specs[i];
    if (s.name !== e.name || s.shape.join('x') !== e.variable.shape.join('x')) {
      throw new DetectorFormatError(`detector weights: tensor ${i} is ${s.name} [${s.shape}], expected ${e.name} [${e.variable.shape}]`, 'weights');
    }
    const values = data.subarray(off, off + e.variable.size);
    tf.tidy(() => e.variable.assign(tf.tensor(values, e.variable.shape)));
    off += e.variable.size;
  });
}
