import * as tf from '@tensorflow/tfjs';

/** The tfjs backends APEXP knows how to run on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Browser order of preference: real GPU first, then the WebGL fallback, then plain JS. */
export const BROWSER_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/**
 * Node order of preference. `@tensorflow/tfjs-node` cannot be installed here, so wasm is the fast
 * path (inference, and training through the trainable conv of `deepsad/trainable-conv.ts`).
 */
export const NODE_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/**
 * Activates the first backend of `order` that initialises, and returns its name.
 *
 * The backend packages must have been imported (registered) by the host: `src/workers` imports
 * webgpu, `src/cli` imports wasm. `tf.setBackend` resolves to false (it does not throw) when, for
 * example, WebGPU has no adapter, so each result is checked and the next one is tried.
 *
 * @throws Error when none of the backends initialises.
 */
export async function selectBackend(order: readonly BackendName[]): Promise<BackendName> {
  const registered = new Set(Object.keys(tf.engine().registryFactory));
  const tried: string[] = [];
  for (const name of order) {
    if (!registered.has(name)) {
      tried.push(`${name} (not registered)`);
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      tried.push(`${name} (failed to initialise)`);
    } catch (err) {
      tried.push(`${name} (${(err as Error).message})`);
    }
  }
  throw new Error(`no tfjs backend could be started: ${tried.join(', ')}`);
}
