import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExplainBatch, JobEvent } from '../../workers/protocol';
import { resetAppStore, useAppStore } from '../state/store';
import { INGEST_FLUSH_MS, ingestSink } from './ingest-sink';

const images = (ids: string[]): JobEvent => ({ type: 'images', id: 1, images: ids.map((id) => ({ id, name: id, width: 8, height: 8, truth: 0, thumb: new Blob([]) })) });
const explained = (ids: string[]): JobEvent => {
  const batch: ExplainBatch = {
    ids,
    predicted: Int32Array.from(ids, () => 1),
    targets: Int32Array.from(ids, () => 1),
    numClasses: 2,
    probs: Float32Array.from(ids.flatMap(() => [0.3, 0.7])),
    size: [1, 1],
    heatmaps: Uint8Array.from(ids, (_, i) => 10 * i),
    patches: new Uint8Array(ids.length * 3),
    faithfulness: Float32Array.from(ids, () => 0.5),
  };
  return { type: 'explained', id: 1, batch };
};

describe('ingestSink', () => {
  let t = 0;
  let updates = 0;
  let unsub: () => void;
  beforeEach(() => {
    vi.useFakeTimers();
    resetAppStore();
    t = 0;
    updates = 0;
    unsub = useAppStore.subscribe(() => updates++);
  });
  afterEach(() => {
    unsub();
    vi.useRealTimers();
  });

  it('applies the first event at once, then coalesces the stream into one store update per interval; batches go to the detector at once', () => {
    const toDetector: string[][] = [];
    const sink = ingestSink(() => t, (b) => toDetector.push(b.ids));
    sink.onEvent(images(['a', 'b']));
    expect(useAppStore.getState().imageIds).toEqual(['a', 'b']);
    expect(updates).toBe(1);
    // Four more events inside the interval: nothing reaches the store yet.
    t = 50;
    sink.onEvent(explained(['a', 'b']));
    sink.onEvent(images(['c']));
    sink.onEvent({ type: 'skipped', id: 1, name: 'notes.txt', reason: 'not an image' });
    sink.onEvent(explained(['c']));
    sink.onEvent({ type: 'progress', id: 1, stage: 'running', done: 3, total: 3 });
    expect(updates).toBe(1);
    expect(Object.keys(useAppStore.getState().explanations)).toEqual([]);
    expect(toDetector).toEqual([['a', 'b'], ['c']]);
    // At the end of the interval: images, then all explanations in one update, then the skipped file.
    t = INGEST_FLUSH_MS;
    vi.advanceTimersByTime(INGEST_FLUSH_MS - 50);
    const s = useAppStore.getState();
    expect(s.imageIds).toEqual(['a', 'b', 'c']);
    expect(Object.keys(s.explanations).sort()).toEqual(['a', 'b', 'c']);
    expect(s.explanations.b.heatmap).toEqual(Uint8Array.of(10));
    expect(s.explanations.c.heatmap).toEqual(Uint8Array.of(0));
    expect(s.skipped).toEqual([{ name: 'notes.txt', reason: 'not an image' }]);
    expect(updates).toBe(4); // images + explanations + skipped, in one task (React renders once)
  });

  it('flush() applies what is still buffered when the job ends', () => {
    const sink = ingestSink(() => t, () => {});
    sink.onEvent(images(['a']));
    t = 10;
    sink.onEvent(explained(['a']));
    expect(useAppStore.getState().explanations.a).toBeUndefined();
    sink.flush();
    expect(useAppStore.getState().explanations.a.predicted).toBe(1);
    // The pending timer was cleared: advancing time changes nothing.
    const before = updates;
    vi.advanceTimersByTime(1000);
    expect(updates).toBe(before);
  });
});
