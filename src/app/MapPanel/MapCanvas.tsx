import { useEffect, useMemo, useRef, useState } from 'react';
import { drawMap } from './draw-map';
import type { PointColors } from './map-colors';
import { nearestPoint, pointsInPolygon, pointsInRect, toLayout, viewportOf, zoomAt, type Viewport } from './map-geometry';

/** Map canvas height in CSS px. */
export const MAP_HEIGHT = 360;
/** Point radius in CSS px: larger when there are few points, small enough for 10,000 not to be one blot. */
export function pointRadius(n: number): number {
  return n < 300 ? 4 : n < 3000 ? 3 : 2;
}
/** A press that moves less than this (px) is a click, not a drag. */
const CLICK_SLOP = 4;
/** A click picks the nearest point within this many px. */
const CLICK_RADIUS = 8;

/** Box (drag a rectangle) or lasso (draw a free shape). */
export type MapTool = 'box' | 'lasso';

interface Props {
  xy: Float32Array;
  colors: PointColors;
  selected: ReadonlySet<number>;
  focus: number;
  tool: MapTool;
  /** Point indices inside a finished box or lasso. */
  onPick: (indices: number[]) => void;
  /** A click on (or near) point `index`. */
  onClickPoint: (index: number) => void;
  /** The hover text of point `index` (name, score, label). */
  describe: (index: number) => string;
  /** Palette indices switched off in the legend: not drawn, not picked. */
  hidden: ReadonlySet<number>;
}

/**
 * The scatter of the map on two stacked canvases: the points (redrawn when the data changes) and the
 * drag shape (redrawn while the mouse moves, so 10,000 points are not repainted per mouse move).
 */
export function MapCanvas({ xy, colors, selected, focus, tool, onPick, onClickPoint, describe, hidden }: Props) {
  const points = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const drag = useRef<[number, number][] | null>(null);
  const [width, setWidth] = useState(480);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  /** The zoomed view (null = the whole map). */
  const [zoom, setZoom] = useState<Viewport | null>(null);
  const fit = useMemo(() => viewportOf(width, MAP_HEIGHT), [width]);
  const v: Viewport = zoom ?? fit;
  const vRef = useRef(v);
  vRef.current = v;

  useEffect(() => {
    // Wheel zoom about the cursor; a non-passive listener, so the page does not scroll meanwhile.
    const el = overlay.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const z = zoomAt(vRef.current, e.clientX - r.left, e.clientY - r.top, e.deltaY < 0 ? 1.25 : 0.8);
      setZoom(z.side <= fitSide(el) ? null : z);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  useEffect(() => {
    const measure = (): void => setWidth(points.current?.parentElement?.clientWidth || 480);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);

  useEffect(() => {
    const c = points.current;
    const ctx = sized(c, width);
    if (!c || !ctx) return;
    const t0 = performance.now();
    drawMap(ctx, width, MAP_HEIGHT, v, { xy, colors, selected, focus, radius: pointRadius(xy.length / 2), hidden });
    c.dataset.drawMs = (performance.now() - t0).toFixed(1);
  }, [xy, colors, selected, focus, width, v, hidden]);
  // A new size shows the whole map again (a new layout keeps the zoom: the worker aligns it with the last one).
  useEffect(() => setZoom(null), [width]);

  const off = (i: number): boolean => hidden.has(colors.index[i]);
  const at = (e: React.MouseEvent): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const paintDrag = (): void => {
    const ctx = sized(overlay.current, width);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, MAP_HEIGHT);
    const d = drag.current;
    if (!d || d.length < 2) return;
    ctx.strokeStyle = '#1565c0';
    ctx.fillStyle = 'rgba(21, 101, 192, 0.08)';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    if (tool === 'box') ctx.rect(d[0][0], d[0][1], d[d.length - 1][0] - d[0][0], d[d.length - 1][1] - d[0][1]);
    else d.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  };
  const finish = (): void => {
    const d = drag.current;
    drag.current = null;
    paintDrag();
    if (!d) return;
    const [x0, y0] = d[0];
    const [x1, y1] = d[d.length - 1];
    const moved = d.some(([x, y]) => Math.hypot(x - x0, y - y0) >= CLICK_SLOP);
    if (!moved) {
      const [lx, ly] = toLayout(v, x0, y0);
      const i = nearestPoint(xy, lx, ly, CLICK_RADIUS / v.side, off);
      if (i >= 0) onClickPoint(i);
      return;
    }
    const a = toLayout(v, x0, y0);
    const b = toLayout(v, x1, y1);
    onPick((tool === 'box' ? pointsInRect(xy, a[0], a[1], b[0], b[1]) : pointsInPolygon(xy, d.map(([x, y]) => toLayout(v, x, y)))).filter((i) => !off(i)));
  };

  return (
    <div className="map-canvas" style={{ position: 'relative', height: MAP_HEIGHT }}>
      <canvas ref={points} data-testid="map-canvas" style={{ position: 'absolute', inset: 0, width, height: MAP_HEIGHT }} />
      <canvas
        ref={overlay}
        data-testid="map-overlay"
        aria-label={`Map of explanations: drag a ${tool} to pick images, click a point to open it, scroll to zoom`}
        style={{ position: 'absolute', inset: 0, width, height: MAP_HEIGHT, cursor: 'crosshair' }}
        onMouseDown={(e) => {
          drag.current = [at(e)];
          setHover(null);
        }}
        onMouseMove={(e) => {
          const p = at(e);
          if (!drag.current) {
            const [lx, ly] = toLayout(v, p[0], p[1]);
            const i = nearestPoint(xy, lx, ly, CLICK_RADIUS / v.side, off);
            setHover(i >= 0 ? { i, x: p[0], y: p[1] } : null);
            return;
          }
          if (tool === 'box') drag.current = [drag.current[0], p];
          else drag.current.push(p);
          paintDrag();
        }}
        onMouseUp={(e) => {
          if (!drag.current) return;
          if (tool === 'box') drag.current = [drag.current[0], at(e)];
          else drag.current.push(at(e));
          finish();
        }}
        onMouseLeave={() => {
          setHover(null);
          if (drag.current) finish();
        }}
      />
      {zoom && (
        <button type="button" data-testid="map-reset-zoom" style={{ position: 'absolute', right: 4, top: 4 }} onClick={() => setZoom(null)}>
          Whole map
        </button>
      )}
      {hover && hover.i < xy.length / 2 && (
        <div className="map-hover" data-testid="map-hover" style={{ position: 'absolute', left: hover.x + 12, top: hover.y + 12, pointerEvents: 'none' }}>
          {describe(hover.i)}
        </div>
      )}
    </div>
  );
}

/** Side of the whole-map square on the canvas `el` (zooming out stops there). */
function fitSide(el: HTMLCanvasElement): number {
  return viewportOf(el.parentElement?.clientWidth || 480, MAP_HEIGHT).side;
}

/** The 2-D context of `c` sized to `width`×MAP_HEIGHT CSS px at the device pixel ratio (null without canvas support). */
function sized(c: HTMLCanvasElement | null, width: number): CanvasRenderingContext2D | null {
  if (!c) return null;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(MAP_HEIGHT * dpr);
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  const ctx = c.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
