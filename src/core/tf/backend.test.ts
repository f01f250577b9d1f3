import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from './backend';

describe('selectBackend', () => {
  it('skips backends that are not registered and starts the next one', async () => {
    const name = await selectBackend(['webgpu', 'wasm', 'cpu']);
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });

  it('names every backend it tried when none starts', async () => {
    await expect(selectBackend(['webgpu', 'webgl'])).rejects.toThrow(/webgpu \(not registered\), webgl/);
  });
});
