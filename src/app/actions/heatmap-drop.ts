/**
 * Which files of a drop are heatmaps made elsewhere (pytorch-grad-cam, Captum, FiftyOne exports), and
 * what each one is: a .npy with its ids file, an explanations.jsonl, grayscale PNG maps, predictions.csv,
 * and the photos the maps were made of. Pure decisions on names and first bytes; the reading is
 * ingest-heatmaps.ts's.
 */
import type { PathedFile } from './ingest';

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|bmp)$/i;

/** A drop sorted by role. */
export interface HeatmapDrop {
  /** The .npy array [N, H, W] and its ids file (null when missing). */
  npy: { file: PathedFile; ids: PathedFile | null } | null;
  jsonl: PathedFile | null;
  /** Heatmap images (grayscale PNGs, or every image when the user picked a heatmaps folder). */
  maps: PathedFile[];
  predictions: PathedFile | null;
  /** Colour images: shown under the map whose id they match. */
  photos: PathedFile[];
  /** Files this drop cannot use, and why (one line each, naming the file). */
  refused: { name: string; reason: string }[];
}

/** The name a file is reported by: its path in the dropped folder, else its own name. */
export function nameOf(f: PathedFile): string {
  return f.path || f.file.name;
}

/** True when a drop holds heatmaps made elsewhere by its names alone (.npy, .jsonl or predictions.csv). */
export function namesSayHeatmaps(files: readonly PathedFile[]): boolean {
  return files.some((f) => /\.(npy|jsonl)$/i.test(f.file.name) || /predictions\.csv$/i.test(f.file.name));
}

/**
 * Sorts a drop of heatmaps made elsewhere. `grayPng` tells which PNGs hold one gray channel (read from
 * their headers): those are maps, other images are photos, unless `mapsOnly` (a heatmaps folder was
 * picked) makes every image a map. One source per drop: a .npy, a .jsonl, or map images. A `.png` that
 * is no PNG at all (`notPng`) is refused by name.
 */
export function sortHeatmapDrop(files: readonly PathedFile[], grayPng: ReadonlySet<PathedFile>, mapsOnly: boolean, notPng: ReadonlySet<PathedFile> = new Set()): HeatmapDrop {
  const out: HeatmapDrop = { npy: null, jsonl: null, maps: [], predictions: null, photos: [], refused: [] };
  const texts: PathedFile[] = [];
  for (const f of files) {
    const n = f.file.name;
    if (/\.npy$/i.test(n)) {
      if (out.npy) out.refused.push({ name: nameOf(f), reason: `a second .npy; one array per drop (${nameOf(out.npy.file)} is read)` });
      else out.npy = { file: f, ids: null };
    } else if (/\.jsonl$/i.test(n)) {
      if (out.jsonl) out.refused.push({ name: nameOf(f), reason: `a second explanations.jsonl; one per drop (${nameOf(out.jsonl)} is read)` });
      else out.jsonl = f;
    } else if (/predictions\.csv$/i.test(n)) out.predictions = f;
    else if (/\.txt$/i.test(n)) texts.push(f);
    else if (notPng.has(f)) out.refused.push({ name: nameOf(f), reason: 'not a decodable PNG (its first bytes are no PNG signature)' });
    else if (IMAGE_EXT.test(n) || f.file.type.startsWith('image/')) (mapsOnly || grayPng.has(f) ? out.maps : out.photos).push(f);
    else out.refused.push({ name: nameOf(f), reason: 'not a heatmap, ids, predictions or image file' });
  }
  if (out.npy) out.npy.ids = texts.find((t) => t.file.name === 'ids.txt') ?? (texts.length === 1 ? texts[0] : null);
  if ((out.npy || out.jsonl) && out.maps.length) {
    // Beside an array or a jsonl, gray images are the photos (MNIST-like); a picked heatmaps folder would mix two sources.
    const kept = nameOf(out.npy ? out.npy.file : (out.jsonl as PathedFile));
    if (mapsOnly) for (const m of out.maps) out.refused.push({ name: nameOf(m), reason: `heatmap image beside ${kept}: one source per drop` });
    else out.photos.push(...out.maps);
    out.maps = [];
  }
  if (out.npy && out.jsonl) {
    out.refused.push({ name: nameOf(out.jsonl), reason: `beside ${nameOf(out.npy.file)}: one source per drop` });
    out.jsonl = null;
  }
  return out;
}

/** `path` without the first folder when every path shares it (the dropped folder's own name), as the CLI's ids are relative to the folder it reads. */
export function relativeIds(paths: readonly string[]): string[] {
  const first = paths.map((p) => (p.includes('/') ? p.split('/')[0] : null));
  const shared = first.length > 0 && first.every((f) => f !== null && f === first[0]);
  return shared ? paths.map((p) => p.slice((first[0] as string).length + 1)) : [...paths];
}

const stem = (p: string): string => p.replace(/\.[^./]+$/, '');
const base = (p: string): string => stem(p.split('/').pop() ?? p);

/**
 * The photo of each map id: the image whose relative path matches the id (extensions aside), else the
 * only image with the same file name stem. Ids without a photo are absent.
 */
export function matchPhotos(ids: readonly string[], photos: readonly PathedFile[]): Map<string, PathedFile> {
  const rel = relativeIds(photos.map(nameOf));
  const byPath = new Map<string, PathedFile>();
  const byBase = new Map<string, PathedFile | null>();
  photos.forEach((p, i) => {
    byPath.set(stem(rel[i]), p);
    const b = base(rel[i]);
    byBase.set(b, byBase.has(b) ? null : p);
  });
  const out = new Map<string, PathedFile>();
  for (const id of ids) {
    const p = byPath.get(stem(id)) ?? byBase.get(base(id));
    if (p) out.set(id, p);
  }
  return out;
}
