/**
 * Streamed ingest results (`images`, `explained`, `skipped` events) reach the store in one update at most
 * every INGEST_FLUSH_MS. Each store update re-derives the gallery order and the flags over every image;
 * a real GPU streams a 16-image batch every few tens of milliseconds, so at 10,000 images one update per
 * batch would keep the main thread busy. The first event is applied at once, so the first cards appear
 * without delay. Each explained batch also goes to the detector worker at once (it scores the new
 * images when a detector exists), independent of the store's throttle.
 */
import type { ExplainBatch, ImageMeta, JobEvent } from '../../workers/protocol';
import { useAppStore } from '../state/store';
import { sendBatch } from './detector';
import { persistWithin } from './persist';

const tally = new Map<string, number>();

/** How many times each image id has been explained in this page (the e2e's exactly-once check). */
export function explainedTally(): Record<string, number> {
  return Object.fromEntries(tally);
}

/** Shortest gap between two store updates from one ingest stream (ms). */
export const INGEST_FLUSH_MS = 250;

/** A sink for one job's events: `onEvent` buffers, `flush` applies what is buffered (call it when the job ends). */
export interface IngestSink {
  onEvent: (ev: JobEvent) => void;
  flush: () => void;
}

/**
 * Creates a sink; `now` is injectable for tests (which drive setTimeout with fake timers), and so is
 * where explained batches go besides the store (`toDetector`, default: the detector worker).
 */
export function ingestSink(now: () => number = () => performance.now(), toDetector: (b: ExplainBatch) => void = sendBatch): IngestSink {
  let images: ImageMeta[] = [];
  let batches: ExplainBatch[] = [];
  let skipped: { name: string; reason: string }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = now();
    const s = useAppStore.getState();
    // Images before their explanations: a card needs its record first.
    if (images.length) s.addImages(images.map((m) => ({ ...m })));
    if (batches.length) s.addExplanations(batches);
    for (const k of skipped) s.addSkipped(k.name, k.reason);
    // Saved as it streams: a reload mid-run keeps what was explained and resumes from there.
    if (images.length || batches.length) persistWithin();
    [images, batches, skipped] = [[], [], []];
  };

  const onEvent = (ev: JobEvent): void => {
    if (ev.type === 'images') images.push(...ev.images);
    else if (ev.type === 'explained') {
      for (const id of ev.batch.ids) tally.set(id, (tally.get(id) ?? 0) + 1);
      toDetector(ev.batch);
      batches.push(ev.batch);
    }
    else if (ev.type === 'skipped') skipped.push({ name: ev.name, reason: ev.reason });
    else return;
    const wait = last + INGEST_FLUSH_MS - now();
    if (wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  };

  return { onEvent, flush };
}
