/**
 * Which crops a detection dataset gives the classifier: each box whose category is one of the
 * classifier's classes becomes one crop (padded, optionally squared, clipped to the image); boxes of
 * other categories (the whole string, "insulator") are skipped and counted.
 */
import type { Box } from '../image';
import type { AnnotatedObject } from './types';

/** How boxes become crops. */
export interface CropOptions {
  /** The classifier's class names, in label order (`good,broken,flashover` for the bundled models). */
  classes: readonly string[];
  /** Extra category names for a class: `{"no issues": "good"}`. Keys are matched like categories (case, spaces, `-`/`_` ignored). */
  aliases?: Readonly<Record<string, string>>;
  /** Margin added on every side, as a fraction of the box's width (left/right) and height (top/bottom); ≥ 0. */
  padding: number;
  /** Grow the shorter side of the padded box to the longer one (about the centre) before clipping, so the crop is not stretched. */
  square: boolean;
}

/** One crop to cut: from `image`, the pixels of `region`, labelled `cls`. */
export interface PlannedCrop {
  /** Output id: `<image path without extension>_<annotation id>_<class>.png` (safe characters only). */
  id: string;
  image: string;
  annotationId: string;
  category: string;
  /** The classifier class it maps to. */
  cls: string;
  /** Integer pixel region, x1/y1 exclusive, inside the image. */
  region: Box;
  /** Whether the annotated box itself reached outside the image (and was cut to it). */
  clipped: boolean;
}

/** The crops of one image and what was left out. */
export interface ImageCropPlan {
  crops: PlannedCrop[];
  /** Boxes left out because their category is not a class, per category name. */
  skippedCategories: Record<string, number>;
  /** Boxes entirely outside the image (nothing left after clipping), by their source (`a.xml: object[2] (broken)`). */
  outside: string[];
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * The classifier class of a category name (matched ignoring case, spaces, `-` and `_`), or null when
 * it is none of them (e.g. "string", "insulator").
 */
export function classOf(category: string, opts: Pick<CropOptions, 'classes' | 'aliases'>): string | null {
  const c = norm(category);
  const direct = opts.classes.find((k) => norm(k) === c);
  if (direct !== undefined) return direct;
  for (const [from, to] of Object.entries(opts.aliases ?? {})) if (norm(from) === c) return to;
  return null;
}

/** The image path without its extension, with `\` as `/` and no `.`/`..`/empty segments (so an id never leaves the output folder). */
export function imageStem(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.' && p !== '..').map(safe);
  const last = parts.pop() ?? 'image';
  const dot = last.lastIndexOf('.');
  return [...parts, dot > 0 ? last.slice(0, dot) : last].join('/');
}

/**
 * The crop region of a box: padded, squared when asked, rounded outward to whole pixels and clipped
 * to the image. Null when nothing of it lies inside the image.
 * @param box annotated box in pixels
 * @param width image width in pixels
 * @param height image height in pixels
 */
export function cropRegion(box: Box, width: number, height: number, opts: Pick<CropOptions, 'padding' | 'square'>): { region: Box; clipped: boolean } | null {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  let x0 = box.x0 - opts.padding * w;
  let x1 = box.x1 + opts.padding * w;
  let y0 = box.y0 - opts.padding * h;
  let y1 = box.y1 + opts.padding * h;
  if (opts.square) {
    const side = Math.max(x1 - x0, y1 - y0);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    [x0, x1, y0, y1] = [cx - side / 2, cx + side / 2, cy - side / 2, cy + side / 2];
  }
  const region = {
    x0: Math.max(0, Math.floor(x0)),
    y0: Math.max(0, Math.floor(y0)),
    x1: Math.min(width, Math.ceil(x1)),
    y1: Math.min(height, Math.ceil(y1)),
  };
  if (region.x1 <= region.x0 || region.y1 <= region.y0) return null;
  const clipped = box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height;
  return { region, clipped };
}

/**
 * Plans the crops of one image.
 * @param image the image's file (as annotated) and its decoded size in pixels
 * @param objects the boxes annotated on it
 */
export function planImageCrops(image: { file: string; width: number; height: number }, objects: readonly AnnotatedObject[], opts: CropOptions): ImageCropPlan {
  // No prototype: a category named "__proto__" is counted like any other instead of vanishing into Object.prototype.
  const plan: ImageCropPlan = { crops: [], skippedCategories: Object.create(null) as Record<string, number>, outside: [] };
  const stem = imageStem(image.file);
  for (const o of objects) {
    const cls = classOf(o.category, opts);
    if (cls === null) {
      plan.skippedCategories[o.category] = (plan.skippedCategories[o.category] ?? 0) + 1;
      continue;
    }
    const r = cropRegion(o.box, image.width, image.height, opts);
    if (!r) {
      plan.outside.push(o.source);
      continue;
    }
    plan.crops.push({ id: `${stem}_${safe(o.annotationId)}_${safe(cls)}.png`, image: o.image, annotationId: o.annotationId, category: o.category, cls, region: r.region, clipped: r.clipped });
  }
  return plan;
}
