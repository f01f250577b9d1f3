/**
 * The body of `apexp crops`: cut every shell box of a detection dataset out of its image, resize it to
 * the classifier's input size and write it as PNG, with truth.csv (id,class), crops.csv (where each crop
 * came from) and crops.json (counts and settings). Written into a temp folder beside --out and renamed.
 */
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { planImageCrops, type AnnotatedObject, type CropOptions, type PlannedCrop } from '../../core/data/annotations';
import { readAnnotations } from '../annotations';
import { CliError } from '../errors';
import { toCsv } from '../io';
import { createProgress } from '../progress';

/** Resolved options of `apexp crops`. */
export interface CropsOptions extends CropOptions {
  annotations: string;
  images: string;
  out: string;
  /** Output side in pixels (square), the classifier's input size. */
  size: number;
}

/** What `apexp crops` did (also written as crops.json). */
export interface CropsSummary {
  format: 'coco' | 'voc';
  n_images: number;
  n_boxes: number;
  n_crops: number;
  per_class: Record<string, number>;
  /** Boxes whose category is not one of the classes (strings, whole insulators), per category. */
  skipped_categories: Record<string, number>;
  /** Boxes that reached outside their image and were cut to it. */
  n_clipped: number;
  /** Boxes entirely outside their image (no crop), by their entry. */
  outside: string[];
  /** Annotated images that could not be read (no crop), with the reason. */
  missing_images: { image: string; reason: string }[];
  settings: { annotations: string; images: string; size: number; classes: string[]; aliases: Record<string, string>; padding: number; square: boolean };
}

async function prepareOut(out: string): Promise<{ target: string; tmp: string; existed: boolean }> {
  const target = resolve(out);
  const existing = await readdir(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new CliError(`--out ${out} is not a writable directory (${e.code})`);
  });
  if (existing && existing.length > 0) throw new CliError(`--out ${out} already exists and is not empty; choose a new directory`);
  const tmp = `${target}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot create ${dirname(target)}/… (${e.code})`);
  });
  return { target, tmp, existed: existing !== null };
}

/** Decodes an image once to raw RGB (no EXIF rotation: annotation tools box the stored pixels). */
async function decodeRgb(path: string) {
  const { data, info } = await sharp(path, { failOn: 'error' }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Runs `apexp crops`; returns the summary. @throws CliError for bad input (nothing left behind) */
export async function runCrops(o: CropsOptions): Promise<CropsSummary> {
  const set = await readAnnotations(o.annotations);
  const imagesRoot = await stat(o.images).catch(() => null);
  if (!imagesRoot?.isDirectory()) throw new CliError(`--images ${o.images} is not a directory`);
  const byImage = new Map<string, AnnotatedObject[]>(set.images.map((im) => [im.file, []]));
  for (const obj of set.objects) byImage.get(obj.image)?.push(obj);

  const summary: CropsSummary = {
    format: set.format,
    n_images: set.images.length,
    n_boxes: set.objects.length,
    n_crops: 0,
    per_class: Object.fromEntries(o.classes.map((c) => [c, 0])),
    skipped_categories: Object.create(null) as Record<string, number>, // no prototype: a "__proto__" category is counted, not lost
    n_clipped: 0,
    outside: [],
    missing_images: [],
    settings: { annotations: o.annotations, images: o.images, size: o.size, classes: [...o.classes], aliases: { ...(o.aliases ?? {}) }, padding: o.padding, square: o.square },
  };
  const { target, tmp, existed } = await prepareOut(o.out);
  const rows: PlannedCrop[] = [];
  const ids = new Set<string>();
  const progress = createProgress({ label: 'crops', total: set.images.length });
  try {
    for (const im of set.images) {
      const objects = byImage.get(im.file) ?? [];
      let pixels: Awaited<ReturnType<typeof decodeRgb>>;
      try {
        pixels = await decodeRgb(join(o.images, im.file));
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0];
        summary.missing_images.push({ image: im.file, reason });
        progress.log(`warning: skipping ${im.file} (${objects.length} box(es)): cannot read it from ${o.images} (${reason})`);
        progress.tick();
        continue;
      }
      const plan = planImageCrops({ file: im.file, width: pixels.width, height: pixels.height }, objects, o);
      for (const [k, n] of Object.entries(plan.skippedCategories)) summary.skipped_categories[k] = (summary.skipped_categories[k] ?? 0) + n;
      summary.outside.push(...plan.outside);
      for (const c of plan.crops) {
        if (ids.has(c.id)) throw new CliError(`${o.annotations}: two boxes give the crop id ${c.id} (annotation ids must be unique per image)`);
        const { x0, y0, x1, y1 } = c.region;
        const png = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 3 } })
          .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
          .resize(o.size, o.size, { fit: 'fill' })
          .png()
          .toBuffer();
        await mkdir(dirname(join(tmp, c.id)), { recursive: true });
        await writeFile(join(tmp, c.id), png);
        rows.push(c);
        ids.add(c.id);
        summary.per_class[c.cls] += 1;
        if (c.clipped) summary.n_clipped += 1;
      }
      progress.tick();
    }
    summary.n_crops = rows.length;
    if (rows.length === 0) throw new CliError(`${o.annotations}: no box of the classes ${o.classes.join(', ')} (categories seen: ${Object.keys(summary.skipped_categories).join(', ') || 'none'}); map yours with --classes or --map`);
    await writeFile(join(tmp, 'truth.csv'), toCsv(['id', 'class'], rows.map((r) => [r.id, r.cls])));
    await writeFile(
      join(tmp, 'crops.csv'),
      toCsv(['id', 'image', 'annotation', 'category', 'class', 'x0', 'y0', 'x1', 'y1', 'clipped'], rows.map((r) => [r.id, r.image, r.annotationId, r.category, r.cls, r.region.x0, r.region.y0, r.region.x1, r.region.y1, r.clipped ? 1 : 0])),
    );
    await writeFile(join(tmp, 'crops.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (existed) await rmdir(target);
    await rename(tmp, target);
    return summary;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    progress.done();
  }
}
