import { describe, expect, it } from 'vitest';
import { matchPhotos, namesSayHeatmaps, relativeIds, sortHeatmapDrop } from './heatmap-drop';
import type { PathedFile } from './ingest';

const f = (path: string): PathedFile => ({ file: new File(['x'], path.split('/').pop() as string), path });

describe('a drop of heatmaps made elsewhere', () => {
  it('is recognised by a .npy, a .jsonl or predictions.csv', () => {
    expect(namesSayHeatmaps([f('a.png'), f('maps.npy')])).toBe(true);
    expect(namesSayHeatmaps([f('out/explanations.jsonl')])).toBe(true);
    expect(namesSayHeatmaps([f('predictions.csv')])).toBe(true);
    expect(namesSayHeatmaps([f('a.png'), f('labels.csv')])).toBe(false);
  });

  it('sorts a .npy with its ids, predictions, photos and files it cannot use', () => {
    const files = [f('m/maps.npy'), f('m/ids.txt'), f('m/predictions.csv'), f('m/a.jpg'), f('m/gray.png'), f('m/readme.md')];
    const d = sortHeatmapDrop(files, new Set([files[4]]), false);
    expect(d.npy?.file.path).toBe('m/maps.npy');
    expect(d.npy?.ids?.path).toBe('m/ids.txt');
    expect(d.predictions?.path).toBe('m/predictions.csv');
    // Beside an array, a gray image is a photo (MNIST-like), not a second source of maps.
    expect(d.photos.map((p) => p.path)).toEqual(['m/a.jpg', 'm/gray.png']);
    expect(d.maps).toEqual([]);
    expect(d.refused).toEqual([{ name: 'm/readme.md', reason: 'not a heatmap, ids, predictions or image file' }]);
  });

  it('takes gray PNGs as maps and colour images as photos; a picked heatmaps folder makes every image a map', () => {
    const files = [f('maps/x.png'), f('maps/y.png'), f('photos/x.jpg')];
    const d = sortHeatmapDrop(files, new Set(files.slice(0, 2)), false);
    expect(d.maps.map((m) => m.path)).toEqual(['maps/x.png', 'maps/y.png']);
    expect(d.photos.map((m) => m.path)).toEqual(['photos/x.jpg']);
    expect(sortHeatmapDrop(files, new Set(), true).maps).toHaveLength(3);
    const junk = f('maps/z.png');
    expect(sortHeatmapDrop([...files, junk], new Set(files.slice(0, 2)), false, new Set([junk])).refused).toEqual([{ name: 'maps/z.png', reason: 'not a decodable PNG (its first bytes are no PNG signature)' }]);
  });

  it('keeps one source: a second .npy, or a .jsonl beside a .npy, is refused by name', () => {
    const d = sortHeatmapDrop([f('a.npy'), f('b.npy'), f('e.jsonl'), f('ids.txt')], new Set(), false);
    expect(d.npy?.file.path).toBe('a.npy');
    expect(d.jsonl).toBeNull();
    expect(d.refused.map((r) => r.name)).toEqual(['b.npy', 'e.jsonl']);
  });

  it('takes ids relative to the dropped folder, as the CLI does for --heatmaps DIR', () => {
    expect(relativeIds(['maps/a.png', 'maps/sub/b.png'])).toEqual(['a.png', 'sub/b.png']);
    expect(relativeIds(['a.png', 'b.png'])).toEqual(['a.png', 'b.png']);
    expect(relativeIds(['x/a.png', 'y/b.png'])).toEqual(['x/a.png', 'y/b.png']);
  });

  it('matches photos to map ids by relative path, else by an unambiguous file name', () => {
    const photos = [f('photos/good/img0.jpg'), f('photos/broken/img1.jpg'), f('photos/a/dup.jpg'), f('photos/b/dup.jpg')];
    const m = matchPhotos(['good/img0.jpg', 'img1.png', 'dup.png', 'none.png'], photos);
    expect(m.get('good/img0.jpg')?.path).toBe('photos/good/img0.jpg');
    expect(m.get('img1.png')?.path).toBe('photos/broken/img1.jpg');
    expect(m.has('dup.png')).toBe(false);
    expect(m.has('none.png')).toBe(false);
  });
});
