/**
 * A decoded image as plain pixels, the exchange format between decoders (sharp in Node,
 * createImageBitmap/OffscreenCanvas in the browser, the synthetic generator) and the core.
 */
export interface RgbaImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGBA, 8 bits per channel, row-major: length width·height·4. */
  data: Uint8ClampedArray;
}

/** An axis-aligned box in image pixel coordinates: [x0, y0) to [x1, y1) (x1, y1 exclusive). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
