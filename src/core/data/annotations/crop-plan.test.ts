import { describe, expect, it } from 'vitest';
import { classOf, cropRegion, imageStem, planImageCrops } from './crop-plan';
import type { AnnotatedObject } from './types';

const CLASSES = ['good', 'broken', 'flashover'];

describe('crop planning', () => {
  it('classOf matches ignoring case, spaces, - and _, then aliases; other categories are null', () => {
    expect(classOf('Broken', { classes: CLASSES })).toBe('broken');
    expect(classOf(' FLASHOVER ', { classes: CLASSES })).toBe('flashover');
    expect(classOf('string', { classes: CLASSES })).toBeNull();
    expect(classOf('No_Issues', { classes: CLASSES, aliases: { 'no issues': 'good' } })).toBe('good');
  });

  it('imageStem keeps folders, drops the extension and never climbs out', () => {
    expect(imageStem('scene-1.png')).toBe('scene-1');
    expect(imageStem('a/b/c.d.jpg')).toBe('a/b/c.d');
    expect(imageStem('../../etc/x y.png')).toBe('etc/x_y');
    expect(imageStem('C:\\data\\img.png')).toBe('C_/data/img');
  });

  it('cropRegion pads by a fraction of the box, squares about the centre, rounds outward and clips', () => {
    const box = { x0: 10, y0: 20, x1: 30, y1: 60 }; // 20 × 40
    expect(cropRegion(box, 100, 100, { padding: 0, square: false })).toEqual({ region: box, clipped: false });
    expect(cropRegion(box, 100, 100, { padding: 0.1, square: false })).toEqual({ region: { x0: 8, y0: 16, x1: 32, y1: 64 }, clipped: false });
    expect(cropRegion(box, 100, 100, { padding: 0, square: true })).toEqual({ region: { x0: 0, y0: 20, x1: 40, y1: 60 }, clipped: false });
    expect(cropRegion({ x0: -5, y0: 90, x1: 10.5, y1: 120 }, 100, 100, { padding: 0, square: false })).toEqual({ region: { x0: 0, y0: 90, x1: 11, y1: 100 }, clipped: true });
    expect(cropRegion({ x0: 120, y0: 0, x1: 130, y1: 10 }, 100, 100, { padding: 0, square: false })).toBeNull();
  });

  it('planImageCrops: one crop per shell box, other categories counted, boxes outside listed', () => {
    const o = (annotationId: string, category: string, box: AnnotatedObject['box']): AnnotatedObject => ({ image: 'dir/s1.png', annotationId, category, box, source: `f: ${annotationId}` });
    const plan = planImageCrops(
      { file: 'dir/s1.png', width: 100, height: 80 },
      [o('1', 'good', { x0: 0, y0: 0, x1: 10, y1: 10 }), o('2', 'string', { x0: 0, y0: 0, x1: 100, y1: 80 }), o('3', 'Broken', { x0: 90, y0: 70, x1: 110, y1: 90 }), o('4', 'flashover', { x0: 200, y0: 0, x1: 210, y1: 5 }), o('5', 'string', { x0: 1, y0: 1, x1: 2, y1: 2 })],
      { classes: CLASSES, padding: 0, square: false },
    );
    expect(plan.crops.map((c) => [c.id, c.cls, c.clipped])).toEqual([
      ['dir/s1_1_good.png', 'good', false],
      ['dir/s1_3_broken.png', 'broken', true],
    ]);
    expect(plan.crops[1].region).toEqual({ x0: 90, y0: 70, x1: 100, y1: 80 });
    expect(plan.skippedCategories).toEqual({ string: 2 });
    expect(plan.outside).toEqual(['f: 4']);
  });

  it('a box of category "__proto__" is counted as skipped, not lost, and pollutes nothing', () => {
    const plan = planImageCrops({ file: 's.png', width: 10, height: 10 }, [{ image: 's.png', annotationId: '1', category: '__proto__', box: { x0: 0, y0: 0, x1: 5, y1: 5 }, source: 's.xml: object[0]' }], { classes: CLASSES, padding: 0, square: false });
    expect(Object.entries(plan.skippedCategories)).toEqual([['__proto__', 1]]);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });
});
