import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAppStore, useAppStore } from '../state/store';
import { sortHeatmapDrop } from './heatmap-drop';
import type { PathedFile } from './ingest';

// The seams: no detector worker, no IndexedDB, no browser decoding (jsdom has no createImageBitmap).
const detector = vi.hoisted(() => ({ synced: 0 }));
vi.mock('./detector', () => ({ dropDetector: vi.fn(async () => {}), syncDetector: vi.fn(async () => void detector.synced++) }));
vi.mock('./persist', () => ({ persistSoon: vi.fn() }));
vi.mock('../lib/decode-image', () => ({
  decodeGray: async (f: File) => {
    if (f.name.startsWith('bad')) throw new Error('The source image cannot be decoded.');
    return { data: Uint8Array.from([0, 51, 102, 255]), width: 2, height: 2 };
  },
  mapPng: async () => new Blob(['png'], { type: 'image/png' }),
  photoThumb: async () => ({ thumb: new Blob(['jpg'], { type: 'image/jpeg' }), width: 8, height: 8 }),
}));

const { ingestHeatmaps } = await import('./ingest-heatmaps');

const file = (path: string, body: BlobPart = 'x'): PathedFile => ({ file: new File([body], path.split('/').pop() as string), path });
const jsonl = (id: string, heatmap: number[]) => JSON.stringify({ id, predicted: 1, probs: [0.3, 0.7], target: 1, layer: 'c', size: [2, 2], heatmap });
const errors = () => useAppStore.getState().notices.filter((n) => n.kind === 'error').map((n) => n.message);

beforeEach(() => {
  resetAppStore();
  detector.synced = 0;
});

describe('heatmaps made elsewhere, into the store', () => {
  it('PNG maps with predictions.csv: cards of the maps, predicted classes and confidences; the bad PNG and the bad row named', async () => {
    const files = [file('maps/a.png'), file('maps/b.png'), file('maps/bad.png'), file('maps/predictions.csv', 'id,predicted,confidence\na.png,cat,0.9\nb.png,dog,2\n')];
    await ingestHeatmaps(sortHeatmapDrop(files, new Set(files.slice(0, 3)), false));
    const s = useAppStore.getState();
    expect(s.imageIds).toEqual(['a.png', 'b.png']);
    expect(s.source).toEqual({ kind: 'imported', format: 'png', classNames: ['cat'], predictions: true });
    expect(s.images['a.png'].noPhoto).toBe(true);
    // 2×2 → 32×32, divided by the max: the quantised map still reaches 255.
    expect(s.explanations['a.png'].heatmap).toHaveLength(32 * 32);
    expect(Math.max(...s.explanations['a.png'].heatmap)).toBe(255);
    expect(s.explanations['a.png']).toMatchObject({ predicted: 0, confidence: 0.9 });
    expect(s.explanations['b.png'].predicted).toBe(-1);
    expect(s.explanations['b.png'].probs).toHaveLength(0);
    expect(errors()).toEqual(['maps/bad.png: not a decodable heatmap image (The source image cannot be decoded.)', 'maps/predictions.csv: row 3: confidence must be a number in [0, 1], got "2"']);
    expect(detector.synced).toBe(1);
  });

  it('explanations.jsonl: its own size, predictions and probabilities; a bad line named by number', async () => {
    const text = [jsonl('x', [0, 0.5, 1, 0]), '{oops', jsonl('y', [1, 0, 0, 0])].join('\n');
    await ingestHeatmaps(sortHeatmapDrop([file('explanations.jsonl', text)], new Set(), false));
    const s = useAppStore.getState();
    expect(s.heatmapSize).toEqual([2, 2]);
    expect(Array.from(s.explanations.x.heatmap)).toEqual([0, 128, 255, 0]);
    expect(s.explanations.x.predicted).toBe(1);
    expect(Array.from(s.explanations.x.probs)).toEqual([Math.fround(0.3), Math.fround(0.7)]);
    expect(errors()).toEqual(['explanations.jsonl:2: not a JSON object']);
  });

  it('a .npy without its ids file is named and nothing loads', async () => {
    await ingestHeatmaps(sortHeatmapDrop([file('maps.npy')], new Set(), false));
    expect(useAppStore.getState().imageIds).toEqual([]);
    expect(errors()[0]).toMatch(/^maps\.npy: needs its ids file/);
  });

  it('is refused in one line by a session of a classifier\'s explanations, which keeps everything', async () => {
    useAppStore.setState({ imageIds: ['p.png'], source: { kind: 'files' } });
    await ingestHeatmaps(sortHeatmapDrop([file('explanations.jsonl', jsonl('x', [0, 0, 0, 1]))], new Set(), false));
    expect(useAppStore.getState().imageIds).toEqual(['p.png']);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/explained by a classifier: heatmaps made elsewhere are not mixed in/);
    expect(detector.synced).toBe(0);
  });
});
