import { describe, expect, it } from 'vitest';
import { drawMap } from './draw-map';
import { viewportOf } from './map-geometry';

/** A 2-D context that records the calls drawMap makes. */
function recorder() {
  const calls: string[] = [];
  const rects: number[][] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    clearRect: () => calls.push('clear'),
    beginPath: () => calls.push('begin'),
    rect: (...a: number[]) => rects.push(a),
    fill: () => calls.push(`fill ${ctx.fillStyle}`),
    stroke: () => calls.push('stroke'),
    strokeRect: (...a: number[]) => calls.push(`focus ${a.join(',')}`),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls, rects };
}

describe('drawMap', () => {
  it('fills one path per colour in use, rings the selection and marks the focus', () => {
    const { ctx, calls, rects } = recorder();
    const xy = Float32Array.from([0, 0, 1, 1, 0.5, 0.5]);
    const colors = { palette: ['#a', '#b', '#c'], index: Uint16Array.from([0, 2, 0]), legend: { kind: 'swatches' as const, items: [] } };
    drawMap(ctx, 100, 100, viewportOf(100, 100, 0), { xy, colors, selected: new Set([1]), focus: 2, radius: 2 });
    expect(calls).toEqual(['clear', 'begin', 'fill #a', 'begin', 'fill #c', 'begin', 'stroke', 'focus 45,45,10,10']);
    expect(rects.slice(0, 3)).toEqual([[-2, -2, 4, 4], [48, 48, 4, 4], [98, 98, 4, 4]]);
  });

  it('skips the colours switched off in the legend', () => {
    const { ctx, calls } = recorder();
    const colors = { palette: ['#a', '#b'], index: Uint16Array.from([0, 1]), legend: { kind: 'swatches' as const, items: [] } };
    drawMap(ctx, 10, 10, viewportOf(10, 10, 0), { xy: Float32Array.from([0, 0, 1, 1]), colors, selected: new Set(), focus: -1, radius: 1, hidden: new Set([0]) });
    expect(calls).toEqual(['clear', 'begin', 'fill #b']);
  });
});
