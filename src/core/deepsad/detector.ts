/** The trained detector: an encoder φ, the centre c and the config; scores are ||φ(x) − c||² in eval mode. */
import * as tf from '@tensorflow/tfjs';
import { packBundle } from './bundle';
import { DeepSadDataError } from './errors';
import { squaredDistances } from './loss';
import type { Encoder } from './networks/network';
import type { DeepSadConfig, DeepSadDetector, DetectorBundle } from './types';

/** Samples per forward pass when scoring or embedding (memory bound only; eval mode is batch-independent). */
export const SCORE_BATCH = 256;

/** {@link DeepSadDetector} over tfjs variables. Owns the encoder's variables and c. */
export class DeepSadModel implements DeepSadDetector {
  readonly c: Float32Array;
  /** c as a tensor, kept for scoring and training. */
  readonly cTensor: tf.Tensor1D;
  /** How many fine-tuning runs this detector has had (seeds their batch order). */
  fineTunes = 0;
  private disposed = false;

  constructor(
    readonly config: DeepSadConfig,
    readonly encoder: Encoder,
    c: Float32Array,
  ) {
    this.c = Float32Array.from(c);
    this.cTensor = tf.tensor1d(this.c);
  }

  private rows(x: Float32Array, n: number): number {
    const [h, w, ch] = this.config.inputShape;
    if (this.disposed) throw new Error('DeepSadDetector used after dispose()');
    if (!Number.isInteger(n) || n < 0 || x.length !== n * h * w * ch) {
      throw new DeepSadDataError(`expected ${n} samples of ${h}×${w}×${ch} = ${n * h * w * ch} values, got ${x.length}`);
    }
    return h * w * ch;
  }

  /** Runs `f` on eval-mode embeddings of consecutive batches and concatenates its per-sample outputs (width `per`). */
  private async batched(x: Float32Array, n: number, per: number, f: (z: tf.Tensor2D) => tf.Tensor): Promise<Float32Array> {
    const len = this.rows(x, n);
    const [h, w, ch] = this.config.inputShape;
    const out = new Float32Array(n * per);
    for (let s = 0; s < n; s += SCORE_BATCH) {
      const b = Math.min(SCORE_BATCH, n - s);
      const t = tf.tidy(() => f(this.encoder.forward(tf.tensor4d(x.subarray(s * len, (s + b) * len), [b, h, w, ch]), { training: false })));
      out.set((await t.data()) as Float32Array, s * per);
      t.dispose();
    }
    return out;
  }

  /** Anomaly scores ||φ(x) − c||², x = n samples flattened NHWC; higher = more anomalous. */
  score(x: Float32Array, n: number): Promise<Float32Array> {
    return this.batched(x, n, 1, (z) => squaredDistances(z, this.cTensor));
  }

  /** Embeddings φ(x), [n · repDim] row-major (eval mode). */
  embed(x: Float32Array, n: number): Promise<Float32Array> {
    return this.batched(x, n, this.encoder.repDim, (z) => z);
  }

  toBundle(): Promise<DetectorBundle> {
    return packBundle(this.config, this.c, this.encoder.params);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder.params.dispose();
    this.cTensor.dispose();
  }
}
