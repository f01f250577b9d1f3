// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seedStore } from '../test/fixtures';
import { useAppStore } from '../state/store';

const detector = vi.hoisted(() => ({ calls: [] as { type: string }[], labels: 0 }));

// The detector worker's seam: a projection request answers a fixed layout.
vi.mock('../../workers/detector.client', () => ({
  runDetectorJob: (req: { type: string }, onEvent: (ev: unknown) => void = () => {}) => {
    detector.calls.push(req);
    if (req.type === 'labels') detector.labels++;
    const events = req.type === 'projection' ? [{ type: 'projection', id: 1, ids: ['img0', 'img1', 'img2', 'img3'], xy: Float32Array.from([0.1, 0.1, 0.2, 0.2, 0.9, 0.9, 0.15, 0.8]) }] : [];
    return { id: detector.calls.length, done: Promise.resolve().then(() => (events.forEach((e) => onEvent(e)), { cancelled: false })) };
  },
  cancelDetectorJob: vi.fn(),
  onDetectorBroadcast: vi.fn(() => () => {}),
  startDetectorWorker: vi.fn(async () => 'wasm'),
  detectorBackendFor: vi.fn(() => 'wasm'),
}));
vi.mock('../actions/persist', () => ({ persistSoon: vi.fn() }));

const { MapPanel } = await import('./MapPanel');
const { pointRadius } = await import('./MapCanvas');
const { onDetectorMoved, PROJECTION_THROTTLE_MS } = await import('../actions/map');

// jsdom has no canvas: a null context (drawing is tested in draw-map.test.ts) and a 400 px wide parent.
HTMLCanvasElement.prototype.getContext = (() => null) as never;
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 400 });

beforeEach(() => {
  seedStore(4);
  detector.calls = [];
  detector.labels = 0;
});
afterEach(() => cleanup());

/** Drags on the map from (x0, y0) through `via` to (x1, y1), in canvas px (jsdom puts the canvas at 0, 0). */
function drag(points: [number, number][]): void {
  const el = screen.getByTestId('map-overlay');
  fireEvent.mouseDown(el, { clientX: points[0][0], clientY: points[0][1] });
  for (const [x, y] of points.slice(1)) fireEvent.mouseMove(el, { clientX: x, clientY: y });
  const [x, y] = points[points.length - 1];
  fireEvent.mouseUp(el, { clientX: x, clientY: y });
}

// The 400×360 canvas shows the unit square as a 344 px square at (28, 8): layout (x, y) → (28 + 344x, 8 + 344y).
const px = (x: number, y: number): [number, number] => [28 + 344 * x, 8 + 344 * y];

describe('MapPanel', () => {
  it('opens, asks the worker for the layout, and shows it with a legend', async () => {
    render(<MapPanel />);
    expect(screen.queryByTestId('map-canvas')).toBeNull();
    await act(async () => fireEvent.click(screen.getByTestId('map-toggle')));
    expect(detector.calls.map((c) => c.type)).toEqual(['projection']);
    expect(screen.getByTestId('map-status').textContent).toBe('4 explanations');
    act(() => useAppStore.setState({ scores: { img0: 1, img9: 2 } }));
    expect(screen.getByTestId('map-status').textContent).toBe('4 explanations (1 scored since: Recompute to add them)');
    expect(screen.getByTestId('map-legend').textContent).toMatch(/review score/);
    fireEvent.change(screen.getByTestId('map-color-by'), { target: { value: 'predicted' } });
    expect(screen.getByTestId('map-legend').textContent).toBe('goodbrokenflashover');
    fireEvent.change(screen.getByTestId('map-color-by'), { target: { value: 'flagged' } });
    expect(screen.getByTestId('map-legend').textContent).toBe('not flaggedflagged for review');
    fireEvent.change(screen.getByTestId('map-color-by'), { target: { value: 'misclassified' } });
    expect(screen.getByTestId('map-legend').textContent).toBe('correct or class unknownmisclassified');
  });

  it('a box picks the points inside it: the gallery filter shows exactly them, and they are labeled in one undoable step', async () => {
    render(<MapPanel />);
    await act(async () => fireEvent.click(screen.getByTestId('map-toggle')));
    drag([px(0.05, 0.05), px(0.3, 0.15), px(0.3, 0.3)]);
    expect(useAppStore.getState()).toMatchObject({ mapSelection: ['img0', 'img1'], filter: 'selection', selectedIds: ['img0', 'img1'] });
    expect(screen.getByTestId('map-selection-count').textContent).toMatch(/^2 picked/);
    fireEvent.click(screen.getByTestId('map-label-anomalous'));
    expect(useAppStore.getState().labels).toEqual({ img0: 'anomalous', img1: 'anomalous' });
    expect(useAppStore.getState().history).toHaveLength(1);
    expect(detector.labels).toBe(1);
    fireEvent.click(screen.getByTestId('map-clear'));
    expect(useAppStore.getState()).toMatchObject({ mapSelection: [], filter: 'all' });
  });

  it('a lasso picks the points inside its shape; a click focuses the nearest point; hover names it; the wheel zooms', async () => {
    render(<MapPanel />);
    await act(async () => fireEvent.click(screen.getByTestId('map-toggle')));
    fireEvent.change(screen.getByTestId('map-tool'), { target: { value: 'lasso' } });
    // A triangle around img0 (0.1, 0.1) and img3 (0.15, 0.8) that leaves out img1 (0.2, 0.2).
    drag([px(0.02, 0.02), px(0.14, 0.02), px(0.3, 0.95), px(0.02, 0.95)]);
    expect(useAppStore.getState().mapSelection).toEqual(['img0', 'img3']);
    drag([px(0.9, 0.9)]);
    expect(useAppStore.getState().focusId).toBe('img2');
    // Hovering near a point names it; away from every point, nothing.
    const [hx, hy] = px(0.2, 0.2);
    fireEvent.mouseMove(screen.getByTestId('map-overlay'), { clientX: hx + 3, clientY: hy });
    expect(screen.getByTestId('map-hover').textContent).toBe('img1.png');
    fireEvent.mouseMove(screen.getByTestId('map-overlay'), { clientX: px(0.6, 0.5)[0], clientY: px(0.6, 0.5)[1] });
    expect(screen.queryByTestId('map-hover')).toBeNull();
    // Wheel zoom about img1: a ±40 px box around it holds img0 (34 px away) at first, not after two steps (×1.5625).
    fireEvent.change(screen.getByTestId('map-tool'), { target: { value: 'box' } });
    const [zx, zy] = px(0.2, 0.2);
    drag([[zx - 40, zy - 40], [zx + 40, zy + 40]]);
    expect(useAppStore.getState().mapSelection).toEqual(['img0', 'img1']);
    fireEvent.wheel(screen.getByTestId('map-overlay'), { clientX: zx, clientY: zy, deltaY: -100 });
    fireEvent.wheel(screen.getByTestId('map-overlay'), { clientX: zx, clientY: zy, deltaY: -100 });
    drag([[zx - 40, zy - 40], [zx + 40, zy + 40]]);
    expect(useAppStore.getState().mapSelection).toEqual(['img1']);
    fireEvent.click(screen.getByTestId('map-reset-zoom'));
    expect(screen.queryByTestId('map-reset-zoom')).toBeNull();
    drag([[zx - 40, zy - 40], [zx + 40, zy + 40]]);
    expect(useAppStore.getState().mapSelection).toEqual(['img0', 'img1']);
  });

  it('a legend entry switched off hides its points from the picks, per colouring', async () => {
    useAppStore.setState({ labels: { img0: 'normal', img2: 'anomalous' } });
    render(<MapPanel />);
    await act(async () => fireEvent.click(screen.getByTestId('map-toggle')));
    fireEvent.change(screen.getByTestId('map-color-by'), { target: { value: 'label' } });
    fireEvent.click(screen.getByRole('button', { name: 'unlabeled' }));
    expect(screen.getByRole('button', { name: 'unlabeled' }).getAttribute('aria-pressed')).toBe('false');
    drag([px(0, 0), px(1, 1)]);
    expect(useAppStore.getState().mapSelection).toEqual(['img0', 'img2']);
    fireEvent.change(screen.getByTestId('map-color-by'), { target: { value: 'score' } });
    drag([px(0, 0), px(1, 1)]);
    expect(useAppStore.getState().mapSelection).toEqual(['img0', 'img1', 'img2', 'img3']);
  });

  it('draws few points larger than many', () => {
    expect([pointRadius(24), pointRadius(1000), pointRadius(10_000)]).toEqual([4, 3, 2]);
  });

  it('follows the detector while open, throttled; not while closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      onDetectorMoved('update');
      expect(detector.calls).toHaveLength(0);
      useAppStore.getState().setMapOpen(true);
      onDetectorMoved('add');
      onDetectorMoved('update');
      onDetectorMoved('train');
      await vi.advanceTimersByTimeAsync(PROJECTION_THROTTLE_MS + 10);
      expect(detector.calls.map((c) => c.type)).toEqual(['projection']);
    } finally {
      vi.useRealTimers();
    }
  });
});
