/**
 * Geometry of the map canvas: the layout's unit square ([0, 1]², from the worker) to canvas pixels and
 * back, and the points a box, a lasso or a click picks. Pure functions of numbers.
 */

/** How the unit square sits on a canvas of `width`×`height` CSS pixels: a centred square of `side` px at (`left`, `top`). */
export interface Viewport {
  left: number;
  top: number;
  side: number;
}

/** The largest centred square inside `width`×`height` with `pad` px of margin (y grows downwards, as on a canvas). */
export function viewportOf(width: number, height: number, pad = 8): Viewport {
  const side = Math.max(1, Math.min(width, height) - 2 * pad);
  return { left: (width - side) / 2, top: (height - side) / 2, side };
}

/** The viewport zoomed by `factor` (> 1 = in) about canvas pixel (px, py), which stays over the same layout point. */
export function zoomAt(v: Viewport, px: number, py: number, factor: number): Viewport {
  return { left: px - (px - v.left) * factor, top: py - (py - v.top) * factor, side: v.side * factor };
}

/** Canvas pixel of layout point (x, y) ∈ [0, 1]². */
export function toCanvas(v: Viewport, x: number, y: number): [number, number] {
  return [v.left + x * v.side, v.top + y * v.side];
}

/** Layout point of canvas pixel (px, py). */
export function toLayout(v: Viewport, px: number, py: number): [number, number] {
  return [(px - v.left) / v.side, (py - v.top) / v.side];
}

/** Indices of the n points of `xy` (n·2) inside the box with corners (x0, y0), (x1, y1) in any order, edges included. */
export function pointsInRect(xy: Float32Array, x0: number, y0: number, x1: number, y1: number): number[] {
  const [ax, bx] = x0 < x1 ? [x0, x1] : [x1, x0];
  const [ay, by] = y0 < y1 ? [y0, y1] : [y1, y0];
  const out: number[] = [];
  for (let i = 0; i < xy.length / 2; i++) {
    const x = xy[i * 2];
    const y = xy[i * 2 + 1];
    if (x >= ax && x <= bx && y >= ay && y <= by) out.push(i);
  }
  return out;
}

/** Whether (x, y) is inside the polygon `poly` ([x, y] vertices, closed implicitly), by the even-odd ray-casting rule. */
export function pointInPolygon(x: number, y: number, poly: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of the points of `xy` (n·2) inside the lasso `poly` (fewer than 3 vertices select nothing). */
export function pointsInPolygon(xy: Float32Array, poly: readonly (readonly [number, number])[]): number[] {
  if (poly.length < 3) return [];
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of poly) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  // The bounding box first: most points of a large map are rejected without the edge loop.
  return pointsInRect(xy, x0, y0, x1, y1).filter((i) => pointInPolygon(xy[i * 2], xy[i * 2 + 1], poly));
}

/** Index of the point of `xy` nearest (x, y) within `radius` (same units), or −1; points `skip` rejects are passed over. */
export function nearestPoint(xy: Float32Array, x: number, y: number, radius: number, skip?: (i: number) => boolean): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < xy.length / 2; i++) {
    if (skip?.(i)) continue;
    const d = (xy[i * 2] - x) ** 2 + (xy[i * 2 + 1] - y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
