/**
 * Dropping a detection dataset: the images with their annotation file (COCO .json, Pascal VOC .xml).
 * The boxes of the classifier's classes become crops at its input size, each an image of its own with
 * the box's class as its truth, and go through the ordinary ingest; other boxes are counted. Parsing and
 * planning are core's (src/core/data/annotations), the same as `apexp crops`.
 */
import { AnnotationError, parseCoco, parseVocFiles, planImageCrops, type AnnotatedObject, type AnnotationSet, type CropOptions } from '../../core/data/annotations';
import type { Box } from '../../core/data/image';

/** A file with the path it had in a dropped folder ('' for loose files). Same shape as ingest's. */
interface PathedFile {
  file: File;
  path: string;
}

/** An image decoded once: its size in pixels, and regions cut out of it as side×side PNGs. */
export interface OpenedImage {
  width: number;
  height: number;
  crop(region: Box, side: number): Promise<Blob>;
  close(): void;
}

/** Decodes an image file for cropping. */
export type Cropper = (file: File) => Promise<OpenedImage>;

/** The crops to ingest and what was left out, in words for the user. */
export interface AnnotatedCrops {
  /** Crop files named by their id (`scene-1_17_broken.png`), with the class index of each. */
  crops: { file: File; id: string; truth: number }[];
  /** Boxes of other categories, per category. */
  skippedCategories: Record<string, number>;
  /** Annotated images that were not among the dropped files. */
  missingImages: string[];
  /** Dropped images the annotations do not mention (not ingested). */
  unannotated: string[];
  nClipped: number;
  /** Boxes wholly outside their image, by entry. */
  outside: string[];
}

const name = (f: PathedFile) => f.path || f.file.name;
const base = (p: string) => p.replace(/\\/g, '/').split('/').pop() ?? p;

/**
 * Picks the annotation files out of dropped files: every `.xml`, and every `.json` that holds COCO's
 * `images` and `annotations` (a model.json or metadata.json stays with the model files).
 */
export async function splitAnnotationFiles<T extends PathedFile>(files: readonly T[]): Promise<{ annotations: T[]; rest: T[] }> {
  const annotations: T[] = [];
  const rest: T[] = [];
  for (const f of files) {
    const n = f.file.name.toLowerCase();
    let isAnnotation = n.endsWith('.xml');
    if (n.endsWith('.json') && n !== 'model.json' && n !== 'metadata.json' && f.file.size < 512 * 2 ** 20) {
      // A quick look: a COCO file names its images and annotations at the top level.
      const text = await f.file.text();
      isAnnotation = /"annotations"\s*:/.test(text) && /"images"\s*:/.test(text) && !/"modelTopology"\s*:/.test(text);
    }
    (isAnnotation ? annotations : rest).push(f);
  }
  return { annotations, rest };
}

/**
 * Reads dropped annotation files: one COCO .json, or any number of VOC .xml.
 * @throws AnnotationError naming the file and the entry
 */
export async function readAnnotationFiles(files: readonly PathedFile[]): Promise<AnnotationSet> {
  const json = files.filter((f) => f.file.name.toLowerCase().endsWith('.json'));
  if (json.length > 1 || (json.length && json.length < files.length)) throw new AnnotationError('bad-annotation-file', `drop one COCO .json or Pascal VOC .xml files, not both (${files.map(name).join(', ')})`);
  if (json.length) {
    let parsed: unknown;
    try {
      parsed = JSON.parse((await json[0].file.text()).replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new AnnotationError('bad-annotation-file', `${name(json[0])}: not valid JSON (${(err as Error).message})`);
    }
    return parseCoco(parsed, name(json[0]));
  }
  return parseVocFiles(await Promise.all(files.map(async (f) => ({ name: name(f), text: await f.file.text() }))));
}

/** The dropped image an annotated file name refers to: the same path, else a path ending in it, else the only one with its base name. */
function findImage(file: string, images: readonly PathedFile[], byBase: Map<string, PathedFile[]>): PathedFile | undefined {
  const want = file.replace(/\\/g, '/').replace(/^\.\//, '');
  const same = byBase.get(base(want)) ?? [];
  return same.find((f) => name(f) === want) ?? same.find((f) => name(f).endsWith(`/${want}`)) ?? (same.length === 1 ? same[0] : undefined) ?? images.find((f) => name(f) === want);
}

/**
 * Turns dropped images + parsed annotations into crops of the classifier's classes.
 * @param classNames the active classifier's classes (truth indices refer to them)
 * @param side crop side in pixels (the classifier's input size)
 */
export async function annotatedCrops(
  images: readonly PathedFile[],
  set: AnnotationSet,
  opts: Omit<CropOptions, 'classes'> & { classNames: readonly string[]; side: number },
  cropper: Cropper,
): Promise<AnnotatedCrops> {
  const byBase = new Map<string, PathedFile[]>();
  for (const f of images) byBase.set(base(name(f)), [...(byBase.get(base(name(f))) ?? []), f]);
  const byImage = new Map<string, AnnotatedObject[]>(set.images.map((im) => [im.file, []]));
  for (const o of set.objects) byImage.get(o.image)?.push(o);
  // No prototype: see planImageCrops (a "__proto__" category is counted, not lost).
  const out: AnnotatedCrops = { crops: [], skippedCategories: Object.create(null) as Record<string, number>, missingImages: [], unannotated: [], nClipped: 0, outside: [] };
  const used = new Set<PathedFile>();
  const taken = new Set<string>();
  for (const im of set.images) {
    const f = findImage(im.file, images, byBase);
    if (!f) {
      out.missingImages.push(im.file);
      continue;
    }
    used.add(f);
    const objects = byImage.get(im.file) ?? [];
    if (!objects.length) continue;
    const opened = await cropper(f.file);
    try {
      const plan = planImageCrops({ file: im.file, width: opened.width, height: opened.height }, objects, { ...opts, classes: opts.classNames });
      for (const [k, n] of Object.entries(plan.skippedCategories)) out.skippedCategories[k] = (out.skippedCategories[k] ?? 0) + n;
      out.outside.push(...plan.outside);
      for (const c of plan.crops) {
        if (taken.has(c.id)) throw new AnnotationError('malformed-annotation', `two boxes give the crop id ${c.id} (annotation ids must be unique per image)`);
        taken.add(c.id);
        const blob = await opened.crop(c.region, opts.side);
        out.crops.push({ file: new File([blob], base(c.id), { type: 'image/png' }), id: c.id, truth: opts.classNames.indexOf(c.cls) });
        if (c.clipped) out.nClipped += 1;
      }
    } finally {
      opened.close();
    }
  }
  out.unannotated = images.filter((f) => !used.has(f)).map(name);
  return out;
}

/** A one-line account of the crops for the user ("12 crops from 3 images; skipped 6 string boxes; …"). */
export function cropsSummary(r: AnnotatedCrops, nImages: number): string {
  const parts = [`Cut ${r.crops.length} crop(s) from ${nImages} annotated image(s)`];
  const skipped = Object.entries(r.skippedCategories).map(([k, n]) => `${n} ${k}`);
  if (skipped.length) parts.push(`skipped ${skipped.join(', ')} box(es) (not a class of the model)`);
  if (r.nClipped) parts.push(`${r.nClipped} box(es) clipped to the image`);
  if (r.outside.length) parts.push(`${r.outside.length} box(es) outside the image`);
  if (r.missingImages.length) parts.push(`${r.missingImages.length} annotated image(s) not dropped (${r.missingImages.slice(0, 3).join(', ')}${r.missingImages.length > 3 ? ', …' : ''})`);
  if (r.unannotated.length) parts.push(`${r.unannotated.length} dropped image(s) without annotations left out`);
  return `${parts.join('; ')}.`;
}

/**
 * The browser's cropper: the file is decoded once (createImageBitmap, no EXIF rotation, as annotation
 * tools box the stored pixels); each crop is cut and resized by createImageBitmap and encoded as PNG.
 * @throws Error when the file is not a decodable image
 */
export async function browserCropper(file: File): Promise<OpenedImage> {
  let img: ImageBitmap;
  try {
    img = await createImageBitmap(file, { imageOrientation: 'none' });
  } catch {
    throw new Error(`${file.name}: could not decode as an image (${file.type || 'unknown type'})`);
  }
  return {
    width: img.width,
    height: img.height,
    async crop(r, side) {
      const bmp = await createImageBitmap(img, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0, { resizeWidth: side, resizeHeight: side, resizeQuality: 'high' });
      try {
        const c = new OffscreenCanvas(side, side);
        c.getContext('2d')!.drawImage(bmp, 0, 0);
        return await c.convertToBlob({ type: 'image/png' });
      } finally {
        bmp.close();
      }
    },
    close: () => img.close(),
  };
}
