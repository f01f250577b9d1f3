import { describe, expect, it } from 'vitest';
// Model files the app fuzz (e2e/fuzz.spec.ts) found failing with bare TypeErrors/RangeErrors: each is now refused in words.

describe('loadClassifier on a mislabelled topology', () => {
  it('a layers topology that says graph-model is refused in words, not a TypeError', async () => {
    const { loadClassifier } = await import('./load');
    const tf = await import('@tensorflow/tfjs');
    const memory = tf.io.fromMemory({ format: 'graph-model', modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightSpecs: [], weightData: new ArrayBuffer(0) });
    await expect(loadClassifier(memory)).rejects.toThrow('model.json says graph-model but its modelTopology has no "node" list');
  });
});

describe('loadClassifier on absurd layer sizes', () => {
  it('1e9 filters: refused in words, not "Invalid typed array length"', async () => {
    const { loadClassifier } = await import('./load');
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const layers = [{ class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, 8, 8, 3], filters: 1e9, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'Zeros', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} } } }];
    const memory = tf.io.fromMemory({ format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { name: 's', layers } }, weightSpecs: [], weightData: new ArrayBuffer(0) });
    await expect(loadClassifier(memory)).rejects.toThrow('not a loadable layers model: its layers are too large to build');
  });
});
