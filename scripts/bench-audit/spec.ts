/**
 * The audit benchmark's Deep SAD setting, written `INPUT:ETA[:nopretrain][:ensE]` on the command line
 * (`--deepsad`, `--variants`): what Deep SAD sees (bench-audit/deepsad-input.ts), η, whether the
 * autoencoder pretraining runs, and how many detectors with different init seeds are averaged
 * (bench-audit/ensemble.ts). Examples: `heatmap:5`, `heatmap:5:ens3`, `heatmap:5:nopretrain:ens3`.
 */
import { DEEPSAD_INPUTS, type DeepSadInput } from './deepsad-input';

/** One Deep SAD setting: what it sees, η (> 0), AE pretraining, ensemble size (integer ≥ 1; 1 = one detector). */
export interface SadSpec {
  input: DeepSadInput;
  eta: number;
  pretrain: boolean;
  ensemble: number;
}

/** A malformed `--deepsad` / `--variants` setting. */
export class SpecError extends Error {
  override name = 'SpecError';
  readonly code = 'BAD_DEEPSAD_SPEC';
}

/**
 * Parses `INPUT:ETA[:nopretrain][:ensE]` (ETA defaults to 1; the optional parts in any order, each at
 * most once; `ens1` is one detector). Throws {@link SpecError} on anything else.
 */
export function parseSpec(text: string): SadSpec {
  const [input, eta = '1', ...rest] = text.split(':');
  if (!DEEPSAD_INPUTS.includes(input as DeepSadInput)) throw new SpecError(`Deep SAD input must be one of ${DEEPSAD_INPUTS.join(', ')}, got "${input}" in "${text}"`);
  if (!(Number(eta) > 0)) throw new SpecError(`eta must be a number > 0, got "${eta}" in "${text}"`);
  const spec: SadSpec = { input: input as DeepSadInput, eta: Number(eta), pretrain: true, ensemble: 1 };
  const seen = new Set<string>();
  for (const part of rest) {
    const ens = /^ens(\d+)$/.exec(part);
    const kind = ens ? 'ens' : part;
    if (seen.has(kind)) throw new SpecError(`"${kind}" given twice in "${text}"`);
    seen.add(kind);
    if (part === 'nopretrain') spec.pretrain = false;
    else if (ens && Number(ens[1]) >= 1) spec.ensemble = Number(ens[1]);
    else throw new SpecError(`unknown part "${part}" in "${text}" (expected nopretrain or ensE with E ≥ 1)`);
  }
  return spec;
}

/** The canonical text of a setting (parseSpec's inverse): `heatmap:5`, `heatmap:5:nopretrain:ens3`. */
export const specName = (s: SadSpec): string => `${s.input}:${s.eta}${s.pretrain ? '' : ':nopretrain'}${s.ensemble > 1 ? `:ens${s.ensemble}` : ''}`;
