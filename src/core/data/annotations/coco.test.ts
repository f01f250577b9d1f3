import { describe, expect, it } from 'vitest';
import { parseCoco } from './coco';
import { AnnotationError } from './types';

const base = () => ({
  images: [
    { id: 1, file_name: 'scene-1.png', width: 200, height: 100 },
    { id: 2, file_name: 'sub/scene-2.jpg', width: 50, height: 50 },
  ],
  categories: [
    { id: 1, name: 'good' },
    { id: 2, name: 'string' },
  ],
  annotations: [
    { id: 10, image_id: 1, category_id: 1, bbox: [5, 6, 20, 30], area: 600, iscrowd: 0 },
    { id: 11, image_id: 2, category_id: 2, bbox: [0.5, 0, 10, 10] },
  ],
});

function err(json: unknown): string {
  try {
    parseCoco(json, 'ann.json');
  } catch (e) {
    expect(e).toBeInstanceOf(AnnotationError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseCoco', () => {
  it('reads images, categories and [x, y, w, h] boxes as x1/y1-exclusive pixel boxes', () => {
    const s = parseCoco(base(), 'ann.json');
    expect(s.format).toBe('coco');
    expect(s.images).toEqual([
      { file: 'scene-1.png', width: 200, height: 100 },
      { file: 'sub/scene-2.jpg', width: 50, height: 50 },
    ]);
    expect(s.objects).toEqual([
      { image: 'scene-1.png', annotationId: '10', category: 'good', box: { x0: 5, y0: 6, x1: 25, y1: 36 }, source: 'ann.json: annotations[0] (id 10)' },
      { image: 'sub/scene-2.jpg', annotationId: '11', category: 'string', box: { x0: 0.5, y0: 0, x1: 10.5, y1: 10 }, source: 'ann.json: annotations[1] (id 11)' },
    ]);
  });

  it('names the file and the entry of a malformed annotation', () => {
    const noBbox = base();
    delete (noBbox.annotations[1] as { bbox?: unknown }).bbox;
    expect(err(noBbox)).toBe('ann.json: annotations[1] (id 11): missing bbox');
    const neg = base();
    neg.annotations[0].bbox = [5, 6, -20, 30];
    expect(err(neg)).toBe('ann.json: annotations[0] (id 10): bbox [5, 6, -20, 30] has a negative width');
    const zero = base();
    zero.annotations[0].bbox = [5, 6, 20, 0];
    expect(err(zero)).toMatch(/annotations\[0\] \(id 10\): .*zero height/);
    const img = base();
    img.annotations[1].image_id = 7;
    expect(err(img)).toBe('ann.json: annotations[1] (id 11): unknown image_id 7');
    const cat = base();
    cat.annotations[0].category_id = 9;
    expect(err(cat)).toBe('ann.json: annotations[0] (id 10): unknown category_id 9');
    const short = base();
    short.annotations[0].bbox = [1, 2, 3];
    expect(err(short)).toMatch(/annotations\[0\] \(id 10\): bbox: must be \[x, y, width, height\]/);
    const str = base();
    (str.annotations[0] as { bbox: unknown }).bbox = ['1', 2, 3, 4];
    expect(err(str)).toMatch(/^ann\.json: annotations\[0\] \(id 10\): bbox/);
    const dup = base();
    dup.annotations[1].id = 10;
    expect(err(dup)).toBe('ann.json: annotations[1] (id 10): duplicate annotation id');
    const noName = base();
    delete (noName.images[1] as { file_name?: string }).file_name;
    expect(err(noName)).toBe('ann.json: images[1] (id 2): missing file_name');
  });

  it('refuses what is not COCO detection JSON, naming the file', () => {
    expect(err({ images: [] })).toMatch(/^ann\.json: not COCO detection JSON \(missing annotations\)/);
    expect(err([1, 2])).toMatch(/^ann\.json: not COCO detection JSON/);
    expect(err(null)).toMatch(/^ann\.json: not COCO detection JSON/);
  });
});
