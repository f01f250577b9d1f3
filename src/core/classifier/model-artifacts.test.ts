import { describe, expect, it } from 'vitest';
import type * as tf from '@tensorflow/tfjs';
import { modelArtifacts } from './model-artifacts';

const spec = (name: string): tf.io.WeightsManifestEntry => ({ name, shape: [1], dtype: 'float32' });

describe('modelArtifacts', () => {
  it('concatenates the weight files in the order given and keeps the manifest specs in order', () => {
    const json: tf.io.ModelJSON = {
      modelTopology: { class_name: 'Sequential' },
      format: 'layers-model',
      generatedBy: 'g',
      convertedBy: 'c',
      weightsManifest: [
        { paths: ['a.bin', 'b.bin'], weights: [spec('w1'), spec('w2')] },
        { paths: ['c.bin'], weights: [spec('w3')] },
      ],
    };
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3); // a view: only its bytes [8, 7] count
    const c = new Uint8Array([4]).buffer;
    const art = modelArtifacts(json, [a, b, c]);
    expect(Array.from(new Uint8Array(art.weightData as ArrayBuffer))).toEqual([1, 2, 3, 8, 7, 4]);
    expect(art.weightSpecs?.map((s) => s.name)).toEqual(['w1', 'w2', 'w3']);
    expect(art).toMatchObject({ modelTopology: json.modelTopology, format: 'layers-model', generatedBy: 'g', convertedBy: 'c' });
  });

  it('gives an empty weight buffer and no specs for a manifest-less model', () => {
    const art = modelArtifacts({ modelTopology: {} } as tf.io.ModelJSON, []);
    expect((art.weightData as ArrayBuffer).byteLength).toBe(0);
    expect(art.weightSpecs).toEqual([]);
  });
});
