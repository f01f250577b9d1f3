// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedStore } from '../test/fixtures';
import { useAppStore } from '../state/store';

const compare = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('../actions/compare', () => ({ compareWith: (m: string) => void compare.calls.push(m), clearComparison: () => useAppStore.getState().setComparison(null) }));

const { ComparePanel } = await import('./ComparePanel');
const { DetailView } = await import('../DetailView');

HTMLCanvasElement.prototype.getContext = (() => null) as never;

afterEach(() => {
  cleanup();
  compare.calls = [];
});

/** Six images; A (m) ranks img5 > img4 > …, B (b) ranks img0 > img5 > …; img1 normal, img3 anomalous; budget 50 %. */
function seedComparison(status: 'training' | 'ready' = 'ready'): void {
  const ids = seedStore(6);
  const s = useAppStore.getState();
  s.addModel({ name: 'b', inputShape: [64, 64, 3], classNames: ['good', 'broken', 'flashover'], layer: 'c', layers: ['c'] }, false);
  s.setActiveModel('m');
  useAppStore.setState({ scores: Object.fromEntries(ids.map((id, i) => [id, i])), labels: { img1: 'normal', img3: 'anomalous' }, budget: 0.5 });
  s.setComparison({
    model: 'b',
    against: 'm',
    explanations: Object.fromEntries(ids.map((id) => [id, { predicted: 1, heatmap: Uint8Array.from([255, 0, 0, 0]) }])),
    heatmapSize: [2, 2],
    scores: Object.fromEntries(ids.map((id, i) => [id, id === 'img0' ? 10 : i])),
    nLabels: 2,
    status,
  });
}

describe('ComparePanel', () => {
  it('is absent with one model; with two it offers the other and starts the comparison', () => {
    seedStore(2);
    const { container } = render(<ComparePanel />);
    expect(container.innerHTML).toBe('');
    cleanup();
    useAppStore.getState().addModel({ name: 'b', inputShape: [64, 64, 3], classNames: ['x'], layer: 'c', layers: ['c'] }, false);
    render(<ComparePanel />);
    expect((screen.getByTestId('compare-model') as HTMLSelectElement).value).toBe('b');
    fireEvent.click(screen.getByTestId('compare-run'));
    expect(compare.calls).toEqual(['b']);
  });

  it('shows the 2×2 table of both models\' flags and the lists; an id opens the image; the detail view shows both maps', () => {
    seedComparison();
    render(
      <>
        <ComparePanel />
        <DetailView />
      </>,
    );
    expect(screen.getByTestId('compare-both').textContent).toBe('1');
    expect(screen.getByTestId('compare-only-a').textContent).toBe('1');
    expect(screen.getByTestId('compare-only-b').textContent).toBe('1');
    expect(screen.getByTestId('compare-neither').textContent).toBe('1');
    expect(screen.getByTestId('compare-agreement').textContent).toBe('50%');
    expect(screen.getByTestId('compare-result').textContent).toContain('their predictions agree on 2 of 6');
    expect(within(screen.getByTestId('compare-list-only-b')).getByText('img0')).toBeTruthy();
    fireEvent.click(within(screen.getByTestId('compare-list-only-a')).getByText('img4'));
    expect(useAppStore.getState().focusId).toBe('img4');
    expect(screen.getByTestId('detail-compare-predicted').textContent).toBe('broken');
    expect(screen.getByLabelText('heatmap by b')).toBeTruthy();
    // A label moves both models' flags at once: img0 labeled normal leaves B's flags to img5 and img4.
    useAppStore.setState({ labels: { img1: 'normal', img3: 'anomalous', img0: 'normal' } });
    cleanup();
    render(<ComparePanel />);
    expect(screen.getByTestId('compare-only-b').textContent).toBe('0');
    fireEvent.click(screen.getByTestId('compare-clear'));
    expect(useAppStore.getState().comparison).toBeNull();
  });

  it('says what runs while the second model is explained or trained', () => {
    seedComparison('training');
    render(<ComparePanel />);
    expect(screen.getByTestId('compare-status').textContent).toBe("Training b's own detector…");
    expect(screen.queryByTestId('compare-table')).toBeNull();
  });
});
