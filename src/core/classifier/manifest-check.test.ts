import { describe, expect, it } from 'vitest';
import { checkWeightSpecs, checkWeightsManifest } from './manifest-check';
import { ModelLoadError } from './errors';

const good = [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [3, 3, 1, 2], dtype: 'float32' }] }];

describe('weights manifest check', () => {
  it('passes a well-formed manifest and an absent one', () => {
    expect(() => checkWeightsManifest(good, 'model.json')).not.toThrow();
    expect(() => checkWeightsManifest(undefined, 'model.json')).not.toThrow();
  });

  it('refuses the mutants that used to surface as TypeErrors, naming the file and the field', () => {
    const bad = (m: unknown, re: RegExp) => {
      let err: unknown;
      try {
        checkWeightsManifest(m, 'model.json');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelLoadError);
      expect((err as Error).message).toMatch(/^model\.json: weightsManifest/);
      expect((err as Error).message).toMatch(re);
    };
    bad('x', /must be a list of \{paths, weights\} groups/);
    bad([{ paths: [0], weights: [] }], /\[0\]\.paths must be a list of file names/);
    bad([{ paths: ['w.bin'], weights: true }], /\[0\]\.weights must be a list/);
    bad([{ paths: ['w.bin'], weights: [[]] }], /\[0\]\.weights\[0\] must be a \{name, shape, dtype\} object/);
    bad([{ paths: ['w.bin'], weights: [{ name: 'k', shape: 'x', dtype: 'float32' }] }], /weights\[0\]\.shape must be a list of non-negative integers/);
    bad([{ paths: ['w.bin'], weights: [{ name: 'k', shape: [1e308], dtype: 'float32' }] }], /shape must be/);
    bad([{ paths: ['w.bin'], weights: [{ name: 'k', shape: [2], dtype: 0 }] }], /dtype must be a string/);
    expect(() => checkWeightSpecs([{ name: '', shape: [], dtype: 'float32' }], 'specs')).toThrow(/specs\[0\]\.name must be a non-empty string/);
  });
});
