import { describe, expect, it } from 'vitest';
import { zoomAt, nearestPoint, pointInPolygon, pointsInPolygon, pointsInRect, toCanvas, toLayout, viewportOf } from './map-geometry';

describe('map geometry', () => {
  it('fits the unit square centred in the canvas and maps back and forth', () => {
    const v = viewportOf(400, 200, 10);
    expect(v).toEqual({ left: 110, top: 10, side: 180 });
    expect(toCanvas(v, 0, 0)).toEqual([110, 10]);
    expect(toCanvas(v, 1, 0.5)).toEqual([290, 100]);
    expect(toLayout(v, 290, 100)).toEqual([1, 0.5]);
  });

  it('zooms about the cursor: the layout point under it stays put', () => {
    const v = viewportOf(400, 200, 10);
    const z = zoomAt(v, 200, 100, 2);
    expect(z).toEqual({ left: 20, top: -80, side: 360 });
    expect(toLayout(z, 200, 100)).toEqual(toLayout(v, 200, 100));
  });

  it('picks the points in a box, whichever corner the drag started from', () => {
    const xy = Float32Array.from([0.1, 0.1, 0.5, 0.5, 0.9, 0.2, 0.5, 0.9]);
    expect(pointsInRect(xy, 0, 0, 0.6, 0.6)).toEqual([0, 1]);
    expect(pointsInRect(xy, 0.6, 0.6, 0, 0)).toEqual([0, 1]);
    expect(pointsInRect(xy, 0.5, 0.5, 0.5, 0.5)).toEqual([1]);
  });

  it('picks the points in a lasso (even-odd rule, concave shapes)', () => {
    const square: [number, number][] = [[0, 0], [1, 0], [1, 1], [0, 1]];
    expect(pointInPolygon(0.5, 0.5, square)).toBe(true);
    expect(pointInPolygon(1.5, 0.5, square)).toBe(false);
    // A "U": the notch (0.5, 0.8) is outside, the arms are inside.
    const u: [number, number][] = [[0, 0], [1, 0], [1, 1], [0.7, 1], [0.7, 0.4], [0.3, 0.4], [0.3, 1], [0, 1]];
    expect(pointInPolygon(0.5, 0.8, u)).toBe(false);
    expect(pointInPolygon(0.15, 0.8, u)).toBe(true);
    const xy = Float32Array.from([0.5, 0.8, 0.15, 0.8, 0.5, 0.2, 2, 2]);
    expect(pointsInPolygon(xy, u)).toEqual([1, 2]);
    expect(pointsInPolygon(xy, [[0, 0], [1, 1]])).toEqual([]);
  });

  it('finds the nearest point within a radius', () => {
    const xy = Float32Array.from([0, 0, 1, 1, 0.2, 0]);
    expect(nearestPoint(xy, 0.15, 0, 0.1)).toBe(2);
    expect(nearestPoint(xy, 0.5, 0.5, 0.1)).toBe(-1);
    expect(nearestPoint(xy, 0.15, 0, 0.2, (i) => i === 2)).toBe(0);
  });
});
