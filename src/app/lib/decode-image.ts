/**
 * The browser's own image decoding (createImageBitmap + OffscreenCanvas) for heatmaps made elsewhere:
 * a map image to its gray values, a map to a small PNG (the card picture when there is no photo),
 * and a photo to a JPEG thumbnail.
 */

/** Longest side of a photo thumbnail (px), as the tfjs worker makes them. */
const THUMB_SIDE = 64;

/** A decoded image's first channel: width·height values 0–255, row-major. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

async function bitmapOf(file: Blob): Promise<ImageBitmap> {
  // Raw values: no colour-space conversion and no premultiplied alpha, so a map's numbers stay its numbers.
  return createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
}

/**
 * Decodes a heatmap image to one gray channel (luminance of RGB, as the CLI's sharp greyscale()).
 * @throws Error when the browser cannot decode it
 */
export async function decodeGray(file: Blob): Promise<GrayImage> {
  const bmp = await bitmapOf(file);
  try {
    const { width, height } = bmp;
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(bmp, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(0.2126 * rgba[i * 4] + 0.7152 * rgba[i * 4 + 1] + 0.0722 * rgba[i * 4 + 2]);
    return { data, width, height };
  } finally {
    bmp.close();
  }
}

/** A quantised map (h·w values 0–255) as a grayscale PNG Blob: the picture of a map brought without its image. */
export async function mapPng(map: Uint8Array, h: number, w: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < map.length; i++) img.data.set([map[i], map[i], map[i], 255], i * 4);
  ctx.putImageData(img, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/**
 * A photo's JPEG thumbnail (≤ THUMB_SIDE on the long side) and its size.
 * @throws Error when the browser cannot decode it
 */
export async function photoThumb(file: Blob): Promise<{ thumb: Blob; width: number; height: number }> {
  const bmp = await createImageBitmap(file);
  try {
    const { width, height } = bmp;
    const k = THUMB_SIDE / Math.max(width, height, 1);
    const tw = Math.max(1, Math.round(width * Math.min(k, 1)));
    const th = Math.max(1, Math.round(height * Math.min(k, 1)));
    const canvas = new OffscreenCanvas(tw, th);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(bmp, 0, 0, tw, th);
    return { thumb: await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 }), width, height };
  } finally {
    bmp.close();
  }
}
