import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRequest } from '../../workers/tf.client';
import { resetAppStore, useAppStore } from '../state/store';
import type * as AnnotatedCrops from './annotated-crops';

const worker = vi.hoisted(() => ({ calls: [] as { type: string }[] }));

// The worker seam: record the ingest request instead of decoding in a worker.
vi.mock('../../workers/tf.client', () => ({
  WorkerJobError: class extends Error {},
  runJob: (req: JobRequest) => {
    worker.calls.push(req);
    return { id: worker.calls.length, done: Promise.resolve({ cancelled: false }) };
  },
  cancelJob: vi.fn(),
}));
const persist = vi.hoisted(() => ({ runs: [] as unknown[] }));
vi.mock('./persist', () => ({
  persistSoon: vi.fn(),
  persistWithin: vi.fn(),
  persistNow: vi.fn(async () => {}),
  savePendingRun: vi.fn(async (run: unknown) => void persist.runs.push(run)),
}));
vi.mock('./detector', () => ({ dropDetector: vi.fn(async () => {}), trainIfNeeded: vi.fn(async () => {}), sendBatch: vi.fn() }));
// jsdom/Node have no createImageBitmap: a cropper that knows every image is 152×152.
vi.mock('./annotated-crops', async (importActual) => ({
  ...(await importActual<typeof AnnotatedCrops>()),
  browserCropper: async (f: File) => ({ width: 152, height: 152, crop: async () => new Blob([f.name], { type: 'image/png' }), close: () => {} }),
}));

const { ingestFiles } = await import('./ingest');

const png = (path: string) => ({ file: new File(['png'], path.split('/').pop() as string, { type: 'image/png' }), path });
const xml = (img: string, objects: [string, number, number, number, number][]) =>
  `<annotation><filename>${img}</filename><size><width>152</width><height>152</height></size>${objects
    .map(([n, a, b, c, d]) => `<object><name>${n}</name><bndbox><xmin>${a}</xmin><ymin>${b}</ymin><xmax>${c}</xmax><ymax>${d}</ymax></bndbox></object>`)
    .join('')}</annotation>`;

beforeEach(() => {
  resetAppStore();
  worker.calls = [];
  persist.runs = [];
  useAppStore.getState().addModel({ name: 'vgg_small', inputShape: [64, 64, 3], classNames: ['good', 'broken', 'flashover'], layer: 'conv_4', layers: ['conv_4'] }, true);
});

describe('ingestFiles with annotation files', () => {
  it('drop the images and their VOC files: the shell boxes are ingested as crops with their classes as truths', async () => {
    const ann = [
      { file: new File([xml('scene-0.png', [['broken', 9, 9, 72, 72], ['string', 7, 7, 146, 74], ['good', 81, 9, 144, 72]])], 'scene-0.xml'), path: 'ds/voc/scene-0.xml' },
      { file: new File([xml('scene-1.png', [['Flashover', 9, 81, 72, 144]])], 'scene-1.xml'), path: 'ds/voc/scene-1.xml' },
    ];
    await ingestFiles([png('ds/images/scene-0.png'), ...ann, png('ds/images/scene-1.png')]);
    const req = worker.calls.find((c) => c.type === 'ingest') as Extract<JobRequest, { type: 'ingest' }>;
    expect(req.ids).toEqual(['scene-0_0_broken.png', 'scene-0_2_good.png', 'scene-1_0_flashover.png']);
    expect(req.truths).toEqual([1, 0, 2]);
    expect(req.files.map((f) => [f.name, f.type])).toEqual([
      ['scene-0_0_broken.png', 'image/png'],
      ['scene-0_2_good.png', 'image/png'],
      ['scene-1_0_flashover.png', 'image/png'],
    ]);
    expect(useAppStore.getState().notices.map((n) => n.message)).toContain('Cut 3 crop(s) from 2 annotated image(s); skipped 1 string box(es) (not a class of the model).');
    expect(useAppStore.getState().skipped).toEqual([]);
  });

  it('a malformed annotation is one error naming the file and the entry; nothing is ingested', async () => {
    const bad = { file: new File([xml('scene-0.png', [['good', 9, 9, 72, 72], ['broken', 40, 9, 5, 72]])], 'scene-0.xml'), path: 'voc/scene-0.xml' };
    await ingestFiles([png('images/scene-0.png'), bad]);
    expect(worker.calls.some((c) => c.type === 'ingest')).toBe(false);
    const errors = useAppStore.getState().notices.filter((n) => n.kind === 'error').map((n) => n.message);
    expect(errors).toEqual(['the annotations could not be read: voc/scene-0.xml: object[1] (broken): xmax 5 < xmin 40 (negative width)']);
  });

  it('annotations that cut nothing are one error naming the annotation file', async () => {
    const other = { file: new File([xml('nowhere.png', [['good', 9, 9, 72, 72]])], 'scene-0.xml'), path: 'voc/scene-0.xml' };
    await ingestFiles([png('images/scene-0.png'), other]);
    expect(worker.calls.some((c) => c.type === 'ingest')).toBe(false);
    const errors = useAppStore.getState().notices.filter((n) => n.kind === 'error').map((n) => n.message);
    expect(errors).toEqual(['voc/scene-0.xml: Cut 0 crop(s) from 0 annotated image(s); 1 annotated image(s) not dropped (nowhere.png); 1 dropped image(s) without annotations left out.']);
  });

  it('without annotation files, images are ingested whole as before', async () => {
    await ingestFiles([png('set/good/a.png'), png('set/broken/b.png')]);
    const req = worker.calls.find((c) => c.type === 'ingest') as Extract<JobRequest, { type: 'ingest' }>;
    expect(req.ids).toEqual(['set/good/a.png', 'set/broken/b.png']);
    expect(req.truths).toEqual([0, 1]);
    // Recorded as pending (with the files, for a reload to resume) before it ran, cleared after.
    expect(persist.runs).toEqual([{ kind: 'ingest', files: req.files, ids: req.ids, truths: [0, 1], model: 'vgg_small' }, null]);
  });
});
