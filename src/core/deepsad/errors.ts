/**
 * Typed errors of the Deep SAD engine. Each has a stable `name` and `code`, so they survive a
 * worker boundary (serialise name/code/message, rebuild on the client) and the CLI can print one line.
 */
import type { DeepSadDetector } from './types';

/** An invalid {@link DeepSadConfig} field; the message names the field and its valid values or range. */
export class DeepSadConfigError extends Error {
  override name = 'DeepSadConfigError';
  readonly code = 'config' as const;
}

/** Training data that does not fit the config (length, semi-targets, non-finite values). */
export class DeepSadDataError extends Error {
  override name = 'DeepSadDataError';
  readonly code = 'data' as const;
}

/**
 * The loss or a gradient became NaN/Inf. Training stopped before applying the bad step, so
 * `detector` holds the last good weights (and a centre c when one had been computed) and stays usable;
 * the caller owns it and must `dispose()` it.
 */
export class DeepSadDivergedError extends Error {
  override name = 'DeepSadDivergedError';
  readonly code = 'diverged' as const;
  constructor(
    message: string,
    readonly detector: DeepSadDetector,
    /** Where it happened: stage, 1-based epoch and 0-based batch. */
    readonly at: { stage: 'pretrain' | 'train'; epoch: number; batch: number },
  ) {
    super(message);
  }
}

/** A detector bundle of another format or version, or with weights that do not fit its config. */
export class DetectorFormatError extends Error {
  override name = 'DetectorFormatError';
  constructor(
    message: string,
    readonly code: 'format' | 'version' | 'weights',
  ) {
    super(message);
  }
}
