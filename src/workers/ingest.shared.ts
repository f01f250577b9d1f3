/**
 * Pixels in the worker: decode dropped files (createImageBitmap), generate demo images, make compact
 * JPEG thumbnails, and resize to the classifier input. Full-size decoded images never leave this file.
 */
import { INSULATOR_CLASSES, planInsulatorSet, renderPlanned } from '../core/data/insulator';
import type { RgbaImage } from '../core/data/image';
import type { ImageSource } from './worker-state';

/** Long side of a thumbnail in pixels. */
export const THUMB_SIZE = 64;
/** Images per generated demo chunk (keeps peak memory bounded for 10,000-image demos). */
export const DEMO_CHUNK = 100;

/** A decoded image that can be drawn: a bitmap from a file, or generated pixels. */
export type Drawable = ImageBitmap | OffscreenCanvas;

/** Puts RGBA pixels on a canvas (drawable at any size). */
export function rgbaToCanvas(img: RgbaImage): OffscreenCanvas {
  const c = new OffscreenCanvas(img.width, img.height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
  return c;
}

/** Draws `src` at w×h and returns its pixels. */
export function resizeTo(src: Drawable, w: number, h: number): RgbaImage {
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, 0, 0, w, h);
  return { width: w, height: h, data: ctx.getImageData(0, 0, w, h).data };
}

/** A JPEG thumbnail of `src` (long side {@link THUMB_SIZE}). */
export async function thumbnail(src: Drawable): Promise<Blob> {
  const s = THUMB_SIZE / Math.max(src.width, src.height);
  const w = Math.max(1, Math.round(src.width * s));
  const h = Math.max(1, Math.round(src.height * s));
  const c = new OffscreenCanvas(w, h);
  const ctx = c.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(src, 0, 0, w, h);
  return c.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}

/** Decodes an image file; throws with a one-line reason when it is not a decodable image. */
export async function decodeFile(file: File): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new Error(`could not decode as an image (${file.type || 'unknown type'})`);
  }
}

/** One generated demo image with its ground truth. */
export interface DemoImage {
  id: string;
  image: RgbaImage;
  truth: number;
  tag: string;
  source: ImageSource;
}

/** The seed of demo chunk `k` of a set seeded `seed`. */
export function chunkSeed(seed: number, k: number): number {
  return seed * 10_007 + k;
}

/**
 * The id of demo image j: the seed, the side and the index decide the picture, so the same id is
 * always the same picture (a label can never carry over to another one) and another demo never reuses it.
 */
export function demoId(seed: number, size: number, j: number): string {
  return `demo-s${seed}-${size}px-${String(j).padStart(5, '0')}`;
}

/** The first `count` images of the full demo chunk with seed `cs` (a chunk's plan never depends on how much of it is used). */
function renderChunk(cs: number, count: number, size: number) {
  return planInsulatorSet({ n: DEMO_CHUNK, seed: cs, split: 'test' })
    .slice(0, count)
    .map((p) => renderPlanned(p, size));
}

/** Generates demo chunk `k` of an n-image demo: at most {@link DEMO_CHUNK} images; image j is the same in every demo of this seed and size. */
export function demoChunk(n: number, seed: number, size: number, k: number): DemoImage[] {
  const chunkN = Math.min(DEMO_CHUNK, n - k * DEMO_CHUNK);
  const cs = chunkSeed(seed, k);
  return renderChunk(cs, chunkN, size).map((s, i) => ({
    id: demoId(seed, size, k * DEMO_CHUNK + i),
    image: s.image,
    truth: INSULATOR_CLASSES.indexOf(s.cls),
    tag: s.tag ? 'tag' : '',
    source: { kind: 'demo', chunkSeed: cs, chunkN, index: i, size },
  }));
}

/** The ids and sources of demo chunk `k` without rendering it (a resumed run skips chunks it has already explained). */
export function demoChunkSources(n: number, seed: number, size: number, k: number): { id: string; source: ImageSource }[] {
  const chunkN = Math.min(DEMO_CHUNK, n - k * DEMO_CHUNK);
  const cs = chunkSeed(seed, k);
  return Array.from({ length: chunkN }, (_, i) => ({ id: demoId(seed, size, k * DEMO_CHUNK + i), source: { kind: 'demo', chunkSeed: cs, chunkN, index: i, size } }));
}

/** Reads the pixels of an ingested image again, resized to w×h (for re-explaining). */
export async function reread(src: ImageSource, w: number, h: number, cache: Map<number, RgbaImage[]>): Promise<RgbaImage> {
  if (src.kind === 'file') {
    const bmp = await decodeFile(src.file);
    try {
      return resizeTo(bmp, w, h);
    } finally {
      bmp.close();
    }
  }
  let chunk = cache.get(src.chunkSeed);
  if (!chunk) {
    cache.clear();
    chunk = renderChunk(src.chunkSeed, src.chunkN, src.size).map((s) => s.image);
    cache.set(src.chunkSeed, chunk);
  }
  const img = chunk[src.index];
  return img.width === w && img.height === h ? img : resizeTo(rgbaToCanvas(img), w, h);
}
