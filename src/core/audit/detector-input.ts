/**
 * What Deep SAD sees per explanation. `heatmap-peak` (the default everywhere: app, CLI, benchmarks)
 * is the map plus the image patch under its peak: a map alone cannot tell a peak on a printed ID tag
 * from a peak on a chipped shell (BENCHMARKS.md, Insulator audit). `heatmap` (the map alone) stays an option.
 */
import { PEAK_INPUT_CHANNELS, withPeakPatches } from './peak-patch';

/** The detector inputs every host offers. */
export const DETECTOR_INPUTS = ['heatmap-peak', 'heatmap'] as const;
export type DetectorInputKind = (typeof DETECTOR_INPUTS)[number];

/** The default detector input: the one the audit benchmark chose on its validation seeds. */
export const DEFAULT_DETECTOR_INPUT: DetectorInputKind = 'heatmap-peak';

/** Values per heatmap cell a detector of `kind` takes: 1 (the map) or 4 (map + RGB patch). */
export function inputChannels(kind: DetectorInputKind): number {
  return kind === 'heatmap-peak' ? PEAK_INPUT_CHANNELS : 1;
}

/** The input kind of a detector that takes `channels` values per cell (the inverse of {@link inputChannels}). */
export function inputKindOf(channels: number): DetectorInputKind {
  if (channels === PEAK_INPUT_CHANNELS) return 'heatmap-peak';
  if (channels === 1) return 'heatmap';
  throw new DetectorInputError(`a detector input has 1 (map) or ${PEAK_INPUT_CHANNELS} (map + patch) channels, not ${channels}`);
}

/** The explanations lack what the detector input needs (the peak patches). */
export class DetectorInputError extends Error {
  override name = 'DetectorInputError';
  readonly code = 'missing-patches' as const;
}

/**
 * The detector input of n explanations, flat NHWC: the maps (n·h·w), or map + patch interleaved
 * (n·h·w·4) from `patches` (n·h·w·3 RGB in [0, 1]).
 * @throws DetectorInputError when `kind` needs patches and there are none
 */
export function detectorInput(kind: DetectorInputKind, maps: Float32Array, patches: Float32Array | null | undefined, n: number, size: [number, number]): Float32Array {
  if (kind === 'heatmap') return maps;
  if (!patches) throw new DetectorInputError('these explanations hold no peak patches, which a map + patch detector needs');
  return withPeakPatches(maps, patches, n, size[0], size[1]);
}
