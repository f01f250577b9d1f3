/**
 * Image files for the CLI: finding them under the inputs, naming them by their path relative to the
 * images root, and decoding them with sharp into the core's RgbaImage.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import sharp from 'sharp';
import type { RgbaImage } from '../core/data/image';
import { CliError } from './errors';

/** Extensions picked up when walking a directory (explicitly named files are always tried). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

/** One image to process: its id (path relative to the images root, `/`-separated) and its path on disk. */
export interface ImageEntry {
  id: string;
  path: string;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

/** The deepest directory containing every path. */
function commonDir(paths: string[]): string {
  const parts = paths.map((p) => p.split(sep));
  const first = parts[0];
  let n = first.length;
  for (const p of parts) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

/**
 * The images named by `inputs` (directories, walked recursively for image extensions, and files),
 * sorted by id. The images root is the common directory of the inputs (a single directory is its own
 * root), so ids are stable for `labels.csv` / `truth.csv`.
 * @throws CliError when an input does not exist or nothing was found
 */
export async function listImages(inputs: readonly string[]): Promise<{ root: string; images: ImageEntry[] }> {
  if (inputs.length === 0) throw new CliError('--images needs at least one directory or file');
  const files: string[] = [];
  const anchors: string[] = [];
  for (const input of inputs) {
    const abs = resolve(input);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new CliError(`--images ${input} does not exist`);
    if (st.isDirectory()) {
      files.push(...(await walk(abs)));
      anchors.push(abs);
    } else {
      files.push(abs);
      anchors.push(dirname(abs));
    }
  }
  const root = commonDir(anchors);
  const seen = new Set<string>();
  const images: ImageEntry[] = [];
  for (const path of files) {
    if (seen.has(path)) continue;
    seen.add(path);
    images.push({ id: relative(root, path).split(sep).join('/'), path });
  }
  images.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (images.length === 0) throw new CliError(`no images (${[...IMAGE_EXTENSIONS].join(', ')}) found in ${inputs.join(', ')}`);
  return { root, images };
}

/**
 * Decodes an image file (JPEG, PNG, WebP, GIF, TIFF, AVIF; EXIF orientation applied) to RGBA pixels.
 * @throws Error with sharp's reason when the file is unreadable or not an image
 */
export async function decodeImage(path: string): Promise<RgbaImage> {
  // toColourspace('srgb') first: a grey PNG would otherwise come out as 2 channels (grey + alpha).
  const { data, info } = await sharp(path, { failOn: 'error' }).rotate().toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`decoded to ${info.channels} channels, expected RGBA`);
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}
