import type { Box, RgbaImage } from '../image';

/** The three shell classes, in label-index order (index 0 = `good`), as the bundled classifiers output them. */
export const INSULATOR_CLASSES = ['good', 'broken', 'flashover'] as const;

/** A shell class: healthy, mechanically broken (missing chip / crack), or flashover-damaged (burn tracks). */
export type InsulatorClass = (typeof INSULATOR_CLASSES)[number];

/** The faulty classes, those whose accuracy the audit's re-check is meant to lift. */
export const FAULTY_CLASSES: readonly InsulatorClass[] = ['broken', 'flashover'];

/** Default rendered size in pixels (square). */
export const DEFAULT_INSULATOR_SIZE = 64;

/** Largest size the generator renders (the bundled classifiers take 64). */
export const MAX_INSULATOR_SIZE = 128;

/** Smallest size the generator renders (below this a tag's digits are no longer drawable). */
export const MIN_INSULATOR_SIZE = 32;

/** Options of `renderInsulator`. */
export interface RenderOptions {
  /** Any 32-bit integer; the same options always give the same bytes. */
  seed: number;
  cls: InsulatorClass;
  /** Whether a printed ID tag is placed on one of the shells. */
  tag: boolean;
  /** Square side in pixels, in [MIN_INSULATOR_SIZE, MAX_INSULATOR_SIZE]; default 64. */
  size?: number;
}

/** One rendered crop with its ground truth. All boxes are in image pixels, x1/y1 exclusive. */
export interface InsulatorSample {
  image: RgbaImage;
  cls: InsulatorClass;
  /** Whether an ID tag is visible. */
  tag: boolean;
  /** The tag's bounding box (null without a tag); it always overlaps `shellMask`. */
  tagBox: Box | null;
  /** Bounding box of the pixels the defect changed (null for `good`). */
  defectBox: Box | null;
  /** size·size, row-major: 1 where a shell (glass or porcelain disc) covers the pixel, else 0. */
  shellMask: Uint8Array;
}

/** An `InsulatorSample` inside a generated set, with its file id (`test/00017_broken.png`). */
export interface InsulatorSetItem extends InsulatorSample {
  id: string;
  /** The per-image seed it was rendered with. */
  seed: number;
}

/** Thrown for out-of-range generator options. */
export class InsulatorOptionsError extends Error {
  override name = 'InsulatorOptionsError';
  readonly code = 'bad-insulator-options' as const;
}
