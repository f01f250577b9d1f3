/** Rebuilding a detector from a {@link DetectorBundle} (the inverse of `detector.toBundle()`). */
import { BUNDLE_FORMAT, BUNDLE_VERSION, unpackWeights } from './bundle';
import { validateConfig } from './config';
import { DeepSadModel } from './detector';
import { DetectorFormatError } from './errors';
import { buildEncoder } from './networks/build';
import { createRng } from '../random';
import type { DetectorBundle } from './types';

export { BUNDLE_FORMAT, BUNDLE_VERSION };

/**
 * A detector with the bundle's config, weights and c; its scores equal the saved detector's.
 * @throws DetectorFormatError: code 'format' (not an APEXP Deep SAD bundle), 'version' (another
 *   version), 'weights' (weights or c do not fit the config); DeepSadConfigError for a bad config.
 */
export function loadDetector(bundle: DetectorBundle): DeepSadModel {
  const found = bundle as unknown as Record<string, unknown> | null;
  if (!found || found.format !== BUNDLE_FORMAT) {
    throw new DetectorFormatError(`not an APEXP Deep SAD detector: format is ${JSON.stringify(found?.format ?? null)}, expected "${BUNDLE_FORMAT}"`, 'format');
  }
  if (found.version !== BUNDLE_VERSION) {
    throw new DetectorFormatError(`detector version ${JSON.stringify(found.version ?? null)} is not supported, expected ${BUNDLE_VERSION}`, 'version');
  }
  const config = validateConfig(bundle.config);
  const encoder = buildEncoder(config, createRng(config.seed));
  try {
    if (!Array.isArray(bundle.c) || bundle.c.length !== encoder.repDim || !bundle.c.every(Number.isFinite)) {
      throw new DetectorFormatError(`detector centre c: expected ${encoder.repDim} finite numbers, found ${Array.isArray(bundle.c) ? bundle.c.length : 'none'}`, 'weights');
    }
    unpackWeights(bundle, encoder.params);
  } catch (err) {
    encoder.params.dispose();
    throw err;
  }
  return new DeepSadModel(config, encoder, Float32Array.from(bundle.c));
}
