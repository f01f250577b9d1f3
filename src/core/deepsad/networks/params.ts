/**
 * The weights of one network part (encoder or decoder) as named tfjs variables, in creation order,
 * plus PyTorch-style initialisers drawn from a seeded {@link Rng}.
 */
import * as tf from '@tensorflow/tfjs';
import { uniform, type Rng } from '../../random';

/** One named variable. BatchNorm running statistics are non-trainable entries. */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
  trainable: boolean;
}

/** PyTorch's `leaky_relu` gain for slope 0.01: √(2 / (1 + 0.01²)). */
export const LEAKY_RELU_GAIN = Math.sqrt(2 / (1 + 0.01 ** 2));

/** Ordered named variables of one network part. Owns them: `dispose()` frees them. */
export class ParamSet {
  readonly entries: NamedVariable[] = [];

  constructor(readonly prefix: string) {}

  /** Adds a variable `prefix.name` with the given initial values (taken over, not copied). */
  add(name: string, shape: number[], values: Float32Array, trainable = true): tf.Variable {
    // tf.variable shares the initial tensor's data and leaves that tensor alive: dispose it.
    const init = tf.tensor(values, shape);
    const variable = tf.variable(init, trainable);
    init.dispose();
    this.entries.push({ name: `${this.prefix}.${name}`, variable, trainable });
    return variable;
  }

  /** The trainable variables, for an optimizer's explicit var list. */
  trainable(): tf.Variable[] {
    return this.entries.filter((e) => e.trainable).map((e) => e.variable);
  }

  dispose(): void {
    for (const e of this.entries) e.variable.dispose();
    this.entries.length = 0;
  }
}

/**
 * PyTorch's default Conv/Linear init, kaiming_uniform(a=√5): U(±1/√fan_in).
 * fan_in is in·k·k for a conv, in for a linear layer, and (PyTorch quirk) out·k·k for a ConvTranspose.
 */
export function kaimingUniform(n: number, fanIn: number, rng: Rng): Float32Array {
  return uniform(n, 1 / Math.sqrt(fanIn), rng);
}

/** xavier_uniform with a gain: U(±gain·√(6 / (fan_in + fan_out))) (the CIFAR-10 decoder's init). */
export function xavierUniform(n: number, fanIn: number, fanOut: number, gain: number, rng: Rng): Float32Array {
  return uniform(n, gain * Math.sqrt(6 / (fanIn + fanOut)), rng);
}
