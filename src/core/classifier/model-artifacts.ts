import type * as tf from '@tensorflow/tfjs';

/**
 * The `ModelArtifacts` an IOHandler's `load()` returns, from a parsed model.json and the bytes of
 * the weight files its manifest names. Shared by the browser's dropped-files handler and the CLI's
 * disk handler, so both hand tfjs the same object.
 * @param json the parsed model.json (its `weightsManifest` may be absent: no weights)
 * @param buffers the weight files' bytes, in manifest order (groups in order, each group's `paths` in order)
 * @returns the topology and metadata fields of `json`, the manifest's weight specs in order, and
 *   one ArrayBuffer holding every weight file back to back (total = sum of the files' byte lengths)
 */
export function modelArtifacts(json: tf.io.ModelJSON, buffers: readonly (ArrayBuffer | Uint8Array)[]): tf.io.ModelArtifacts {
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    data.set(b instanceof Uint8Array ? b : new Uint8Array(b), at);
    at += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: (json.weightsManifest ?? []).flatMap((g) => g.weights),
    weightData: data.buffer,
  };
}
