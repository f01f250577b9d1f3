// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../workers/protocol';
import type { JobRequest } from '../workers/tf.client';
import { seedStore } from './test/fixtures';
import { useAppStore } from './state/store';

const worker = vi.hoisted(() => ({ calls: [] as { type: string }[], script: ((): unknown[] => []) as (req: { type: string }) => unknown[] }));
const detector = vi.hoisted(() => ({ calls: [] as { type: string }[], script: ((): unknown[] => []) as (req: { type: string }) => unknown[] }));

// The worker seam: the UI is tested against scripted worker replies, never a real tfjs worker.
vi.mock('../workers/tf.client', async () => {
  const { scriptedRunJob } = await import('./test/fixtures');
  return {
    WorkerJobError: class extends Error {},
    runJob: (req: JobRequest, onEvent?: (ev: JobEvent) => void) => {
      worker.calls.push(req);
      return scriptedRunJob((r) => worker.script(r) as JobEvent[]).runJob(req, onEvent);
    },
    cancelJob: vi.fn(),
    startTfWorker: vi.fn(async () => ({ backend: 'webgl' })),
    onBackendChange: vi.fn(() => () => {}),
  };
});

// The detector worker's seam, scripted the same way: its replies (rankings, agreement) are what the UI must show.
vi.mock('../workers/detector.client', async () => {
  const actual = await vi.importActual<{ detectorBackendFor: unknown }>('../workers/detector.client');
  return {
    detectorBackendFor: actual.detectorBackendFor,
    startDetectorWorker: vi.fn(async () => 'wasm'),
    onDetectorBroadcast: vi.fn(() => () => {}),
    cancelDetectorJob: vi.fn(),
    runDetectorJob: (req: { type: string }, onEvent: (ev: unknown) => void = () => {}) => {
      detector.calls.push(req);
      const events = detector.script(req);
      return { id: detector.calls.length, done: Promise.resolve().then(() => (events.forEach((e) => onEvent(e)), { cancelled: false })) };
    },
  };
});

const { App } = await import('./App');

/** A ranking reply of the detector worker for ids with these scores (Deep SAD ranks = scores). */
/** A learnt ranking model as the worker sends it: weights [intercept, Deep SAD, unconfidence, vote, classes good, broken, flashover]. */
const MODEL = { weights: Float64Array.from([-2, 3.4, 6.1, 2, -0.6, 0.9, -0.3]), classes: 3, nLabels: 20 };

function ranking(cause: string, scores: Record<string, number>, next: string[] = []) {
  const ids = Object.keys(scores);
  return { type: 'ranking', id: 1, cause, ids, score: Float32Array.from(ids, (id) => scores[id]), deepsad: Float32Array.from(ids, (id) => scores[id]), model: MODEL, next, updating: cause === 'labels' };
}

// jsdom has no layout and no canvas: give the gallery's scroll box a size so the virtualiser renders
// rows, and a null 2-D context (heatmap pixels are checked in Playwright).
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
HTMLCanvasElement.prototype.getContext = (() => null) as never;

afterEach(() => {
  cleanup();
  worker.calls = [];
  detector.calls = [];
  detector.script = () => [];
});

function labelsOfCards(): (string | null)[] {
  return screen.getAllByTestId('image-card').map((c) => c.getAttribute('data-label'));
}

describe('App', () => {
  it('shows one card per image; a click selects, the buttons label the selection, undo reverts', () => {
    seedStore(4);
    render(<App />);
    const cards = screen.getAllByTestId('image-card');
    expect(cards).toHaveLength(4);
    fireEvent.click(cards[1]);
    expect(useAppStore.getState().selectedIds).toEqual(['img1']);
    fireEvent.click(screen.getByTestId('label-anomalous'));
    expect(labelsOfCards()).toEqual(['', 'anomalous', '', '']);
    // Labeling one card moves the selection to the next (img2); ctrl-click adds img3; one click labels both.
    expect(useAppStore.getState().selectedIds).toEqual(['img2']);
    fireEvent.click(screen.getAllByTestId('image-card')[3], { ctrlKey: true });
    fireEvent.click(screen.getByTestId('label-normal'));
    expect(labelsOfCards()).toEqual(['', 'anomalous', 'normal', 'normal']);
    fireEvent.click(screen.getByTestId('undo'));
    expect(labelsOfCards()).toEqual(['', 'anomalous', '', '']);
  });

  it('labels with the keyboard: j/k move, n/a/c label, u undoes, ? toggles the help', () => {
    seedStore(3);
    render(<App />);
    fireEvent.keyDown(window, { key: 'j' });
    expect(useAppStore.getState().focusId).toBe('img0');
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.keyDown(window, { key: 'n' });
    expect(labelsOfCards()).toEqual(['anomalous', 'normal', '']);
    expect(useAppStore.getState().focusId).toBe('img2');
    fireEvent.keyDown(window, { key: 'k' });
    fireEvent.keyDown(window, { key: 'c' });
    expect(labelsOfCards()).toEqual(['anomalous', '', '']);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(labelsOfCards()).toEqual(['anomalous', 'normal', '']);
    fireEvent.keyDown(window, { key: '?' });
    expect(screen.getByTestId('help-overlay')).toBeTruthy();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('help-overlay')).toBeNull();
  });

  it('keys typed into an input do not label', () => {
    seedStore(2);
    render(<App />);
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(screen.getByTestId('train-steps'), { key: 'a' });
    expect(labelsOfCards()).toEqual(['', '']);
  });

  it('sorts by score once scores arrive, and filters', () => {
    seedStore(4);
    useAppStore.getState().setRanking({ ids: ['img0', 'img1', 'img2', 'img3'], score: Float32Array.from([0.2, 0.9, 0.1, 0.5]), deepsad: Float32Array.from([0.2, 0.9, 0.1, 0.5]), model: MODEL, next: [], updating: false, cause: 'train' });
    render(<App />);
    const order = () => screen.getAllByTestId('image-card').map((c) => c.getAttribute('data-id'));
    expect(order()).toEqual(['img1', 'img3', 'img0', 'img2']);
    act(() => useAppStore.getState().setLabels(['img3'], 'normal'));
    fireEvent.change(screen.getByTestId('filter'), { target: { value: 'unlabeled' } });
    expect(order()).toEqual(['img1', 'img0', 'img2']);
    fireEvent.change(screen.getByTestId('filter'), { target: { value: 'misclassified' } });
    expect(order()).toEqual(['img1', 'img2']);
  });

  it('a label re-ranks at once without a click on train, and a labeled-normal image shows its label, never a flag', async () => {
    seedStore(4);
    useAppStore.getState().setRanking({ ids: ['img0', 'img1', 'img2', 'img3'], score: Float32Array.from([0.1, 0.2, 0.3, 0.4]), deepsad: Float32Array.from([0.1, 0.2, 0.3, 0.4]), model: MODEL, next: ['img1'], updating: false, cause: 'train' });
    useAppStore.setState({ detectors: [{} as never], budget: 0.5 });
    // The worker answers the labels with a new ranking in which the normal-labeled img0 scores highest.
    detector.script = (req) => (req.type === 'labels' ? [ranking('labels', { img0: 0.9, img1: 0.2, img2: 0.8, img3: 0.4 }, ['img1'])] : []);
    render(<App />);
    const order = () => screen.getAllByTestId('image-card').map((c) => c.getAttribute('data-id'));
    expect(order()).toEqual(['img3', 'img2', 'img1', 'img0']);
    fireEvent.click(screen.getAllByTestId('image-card')[3]);
    await act(async () => fireEvent.click(screen.getByTestId('label-normal')));
    const sent = detector.calls.find((c) => c.type === 'labels') as unknown as { ids: string[]; targets: Int8Array };
    expect(sent.ids).toEqual(['img0']);
    expect(Array.from(sent.targets)).toEqual([1]);
    expect(order()).toEqual(['img0', 'img2', 'img3', 'img1']);
    expect(detector.calls.some((c) => c.type === 'train')).toBe(false);
    const top = screen.getAllByTestId('image-card')[0];
    expect(top.getAttribute('data-label')).toBe('normal');
    expect(within(top).getByText('normal')).toBeTruthy();
    expect(within(top).queryByTitle('flagged for review')).toBeNull();
    // The budget covers the unlabeled images: 50% of 3 → img2 and img3 are flagged.
    expect(screen.getByTestId('flagged-count').textContent).toMatch(/^2 of 4 flagged/);
    expect(screen.getByTestId('live-status').textContent).toMatch(/Re-ranked from your labels/);
    // The ranking says how it weighs its signals.
    expect(screen.getByTestId('ranking-model').textContent).toMatch(/unconfidence 6\.1, Deep SAD 3\.4, likeness to your labels 2\.0; predicted .* \(learnt from 20 labels\)/);
  });

  it('"s" opens the label-next queue at its first image; the agreement says in words where the detector disagrees', () => {
    seedStore(4);
    useAppStore.getState().setRanking({ ids: ['img0', 'img1', 'img2', 'img3'], score: Float32Array.from([0.1, 0.2, 0.3, 0.4]), deepsad: Float32Array.from([0.1, 0.2, 0.3, 0.4]), model: MODEL, next: ['img2', 'img0'], updating: false, cause: 'update' });
    useAppStore.getState().setLabels(['img1', 'img3'], 'anomalous');
    useAppStore.getState().setAgreement({ folds: 2, budget: 0.15, heldOut: [{ id: 'img1', label: 'anomalous', percentile: 0.2 }, { id: 'img3', label: 'anomalous', percentile: 0.99 }], anomalousCaught: 1, nAnomalous: 2, normalCleared: 0, nNormal: 0, disagreements: ['img1'], bestF1Budget: null });
    render(<App />);
    fireEvent.keyDown(window, { key: 's' });
    expect(useAppStore.getState().filter).toBe('next');
    expect(useAppStore.getState().focusId).toBe('img2');
    expect(screen.getAllByTestId('image-card').map((c) => c.getAttribute('data-id'))).toEqual(['img2', 'img0']);
    expect(screen.getByTestId('agreement').textContent).toMatch(/Of your 2 anomalous labels, the detector ranks 1 inside the review budget when it has not seen them/);
    fireEvent.click(screen.getByTestId('disagreement'));
    expect(useAppStore.getState().focusId).toBe('img1');
    expect(screen.getByTestId('detail-held-out').textContent).toMatch(/outside the review budget: it disagrees with you/);
  });

  it('"Try the insulator demo" loads the bundled models then streams generated, explained images', async () => {
    resetForDemo();
    worker.script = (req) => {
      if (req.type === 'loadModel') {
        const name = (req as unknown as { source: { name: string } }).source.name;
        return [{ type: 'model', id: 1, info: { name, inputShape: [64, 64, 3], classNames: ['good', 'broken', 'flashover'], layer: 'c', layers: ['c'] } }];
      }
      return [
        { type: 'images', id: 2, images: [{ id: 'demo-00000', name: 'demo-00000', width: 64, height: 64, truth: 1, thumb: new Blob([]) }] },
        {
          type: 'explained',
          id: 2,
          batch: { ids: ['demo-00000'], predicted: Int32Array.of(0), targets: Int32Array.of(0), numClasses: 3, probs: Float32Array.of(0.7, 0.2, 0.1), size: [1, 1], heatmaps: Uint8Array.of(200), patches: Uint8Array.of(1, 2, 3), faithfulness: Float32Array.of(NaN) },
        },
      ];
    };
    render(<App />);
    fireEvent.change(screen.getByTestId('demo-size'), { target: { value: '60' } });
    await act(async () => fireEvent.click(screen.getByTestId('load-demo')));
    await screen.findByTestId('image-card');
    expect(worker.calls.map((c) => c.type)).toEqual(['loadModel', 'loadModel', 'demo']);
    // The explained batch went to the detector worker too, with its peak patch, and a training started by itself.
    await vi.waitFor(() => expect(detector.calls.map((c) => c.type)).toEqual(['add', 'train']));
    expect(detector.calls[0]).toMatchObject({ ids: ['demo-00000'], patches: Uint8Array.of(1, 2, 3) });
    expect(worker.calls[2]).toMatchObject({ type: 'demo', n: 60 });
    const card = screen.getByTestId('image-card');
    expect(within(card).getByText('good')).toBeTruthy();
    // Misclassified (truth broken, predicted good): one action labels it as a known anomaly.
    fireEvent.click(screen.getByTestId('label-misclassified'));
    expect(card.getAttribute('data-label')).toBe('anomalous');
  });

  it('"Explained class" and the layer picker reach the worker with "Explain again", and reset with another model', async () => {
    resetForDemo();
    const info = (name: string) => ({ name, inputShape: [64, 64, 3] as [number, number, number], classNames: ['good', 'broken', 'flashover'], layer: 'c2', layers: ['c1', 'c2'] });
    useAppStore.setState({ models: [info('a'), info('b')], activeModel: 'a' });
    worker.script = (req) => (req.type === 'useModel' ? [{ type: 'model', id: 1, info: info('a') }] : []);
    render(<App />);
    fireEvent.change(screen.getByTestId('target-select'), { target: { value: '1' } });
    fireEvent.change(screen.getByTestId('layer-select'), { target: { value: 'c1' } });
    await act(async () => fireEvent.click(screen.getByTestId('explain-again')));
    expect(worker.calls.at(-1)).toMatchObject({ type: 'explain', options: { target: 1, layer: 'c1' } });
    // Back to the defaults: the default layer is sent as "no layer", the predicted class as 'predicted'.
    fireEvent.change(screen.getByTestId('layer-select'), { target: { value: 'c2' } });
    fireEvent.change(screen.getByTestId('target-select'), { target: { value: 'predicted' } });
    await act(async () => fireEvent.click(screen.getByTestId('explain-again')));
    expect(worker.calls.at(-1)).toEqual({ type: 'explain', options: { target: 'predicted', layer: undefined } });
    // Class indices and layer names belong to one model: switching models starts from the defaults.
    fireEvent.change(screen.getByTestId('target-select'), { target: { value: '2' } });
    await act(async () => fireEvent.change(screen.getByTestId('model-select'), { target: { value: 'b' } }));
    expect(worker.calls.at(-1)).toEqual({ type: 'explain', options: { target: 'predicted' } });
    expect((screen.getByTestId('target-select') as HTMLSelectElement).value).toBe('predicted');
  });

  it('a failing model load shows one clear error line and keeps the app usable', async () => {
    resetForDemo();
    worker.script = (req) => {
      if (req.type === 'loadModel') throw new Error('missing weight file(s): weights.bin');
      return [];
    };
    render(<App />);
    await act(async () => fireEvent.click(screen.getByTestId('load-demo')));
    expect((await screen.findAllByTestId('error'))[0].textContent).toMatch(/could not be loaded: missing weight file/);
    expect(screen.getByTestId('load-demo')).toHaveProperty('disabled', false);
  });
});

function resetForDemo(): void {
  seedStore(0);
  useAppStore.setState({ imageIds: [], images: {}, explanations: {}, models: [], activeModel: null });
}
