/** The shape every Deep SAD network part has: its variables and a forward function. */
import type * as tf from '@tensorflow/tfjs';
import type { Mode } from './ops';
import type { ParamSet } from './params';

/** The encoder φ: x [N, H, W, C] in NHWC → codes [N, repDim]. The last layer is linear and bias-free. */
export interface Encoder {
  readonly params: ParamSet;
  readonly repDim: number;
  forward(x: tf.Tensor4D, mode: Mode): tf.Tensor2D;
}

/** The mirrored decoder (pretraining only): codes [N, repDim] → reconstructions [N, H, W, C] in (0, 1). */
export interface Decoder {
  readonly params: ParamSet;
  forward(z: tf.Tensor2D, mode: Mode): tf.Tensor4D;
}
