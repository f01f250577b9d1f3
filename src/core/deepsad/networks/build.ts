/** Builds the encoder / decoder named by a config. Encoders are built first from the seed, so the encoder init does not depend on `pretrain`. */
import type { DeepSadConfig, NetName } from '../types';
import type { Rng } from '../../random';
import { buildLeNetDecoder, buildLeNetEncoder, CIFAR10_LENET, FMNIST_LENET, HEATMAP_LENET, MNIST_LENET, type LeNetSpec } from './lenet';
import { buildMlpDecoder, buildMlpEncoder } from './mlp';
import type { Decoder, Encoder } from './network';
import { DEFAULT_MLP_WIDTHS } from '../config';

const LENETS: Readonly<Record<Exclude<NetName, 'mlp'>, LeNetSpec>> = {
  mnist_LeNet: MNIST_LENET,
  fmnist_LeNet: FMNIST_LENET,
  cifar10_LeNet: CIFAR10_LENET,
  heatmap_LeNet: HEATMAP_LENET,
};

/** The encoder φ of `config.net` (config assumed validated). */
export function buildEncoder(config: DeepSadConfig, rng: Rng): Encoder {
  if (config.net === 'mlp') return buildMlpEncoder(config.mlpWidths ?? [...DEFAULT_MLP_WIDTHS], config.inputShape, rng);
  return buildLeNetEncoder(LENETS[config.net], config.inputShape, rng);
}

/** The decoder mirroring {@link buildEncoder}, for autoencoder pretraining. */
export function buildDecoder(config: DeepSadConfig, rng: Rng): Decoder {
  if (config.net === 'mlp') return buildMlpDecoder(config.mlpWidths ?? [...DEFAULT_MLP_WIDTHS], config.inputShape, rng);
  return buildLeNetDecoder(LENETS[config.net], config.inputShape, rng);
}
