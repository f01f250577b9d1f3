/**
 * Draws the map's points on a 2-D canvas: one path per palette colour (a few dozen `fill` calls, not
 * one per point), then the selection ringed on top and the focused point larger. A plain canvas, not
 * SVG: 10,000 points draw in a few milliseconds.
 */
import { toCanvas, type Viewport } from './map-geometry';
import type { PointColors } from './map-colors';

/** What to draw: positions in [0, 1]² (n·2), colours, the selected point indices and the focused one (−1 = none). */
export interface MapScene {
  xy: Float32Array;
  colors: PointColors;
  selected: ReadonlySet<number>;
  focus: number;
  /** Point radius in CSS px. */
  radius: number;
  /** Palette indices not drawn (legend entries switched off). */
  hidden?: ReadonlySet<number>;
}

/** Paints `scene` on `ctx` (already scaled to CSS pixels) over a `width`×`height` area. */
export function drawMap(ctx: CanvasRenderingContext2D, width: number, height: number, v: Viewport, scene: MapScene): void {
  const { xy, colors, radius: r } = scene;
  const n = xy.length / 2;
  ctx.clearRect(0, 0, width, height);
  const byColor: number[][] = colors.palette.map(() => []);
  for (let i = 0; i < n; i++) byColor[colors.index[i]].push(i);
  const s = r * 2;
  byColor.forEach((pts, c) => {
    if (!pts.length || scene.hidden?.has(c)) return;
    ctx.fillStyle = colors.palette[c];
    ctx.beginPath();
    for (const i of pts) {
      const [px, py] = toCanvas(v, xy[i * 2], xy[i * 2 + 1]);
      ctx.rect(px - r, py - r, s, s);
    }
    ctx.fill();
  });
  if (scene.selected.size) {
    ctx.strokeStyle = '#1565c0';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const i of scene.selected) {
      const [px, py] = toCanvas(v, xy[i * 2], xy[i * 2 + 1]);
      ctx.rect(px - r - 1.5, py - r - 1.5, s + 3, s + 3);
    }
    ctx.stroke();
  }
  if (scene.focus >= 0 && scene.focus < n) {
    const [px, py] = toCanvas(v, xy[scene.focus * 2], xy[scene.focus * 2 + 1]);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.strokeRect(px - r - 3, py - r - 3, s + 6, s + 6);
  }
}
