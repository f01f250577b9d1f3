import { describe, expect, it } from 'vitest';
import type { Box } from '../../core/data/image';
import { annotatedCrops, cropsSummary, readAnnotationFiles, splitAnnotationFiles, type Cropper } from './annotated-crops';

const file = (name: string, text = '', type = '') => ({ file: new File([text], name, { type }), path: '' });
const at = (path: string, name: string, text = '') => ({ file: new File([text], name), path });

const coco = JSON.stringify({
  images: [
    { id: 1, file_name: 'images/scene-0.png', width: 100, height: 80 },
    { id: 2, file_name: 'scene-1.png', width: 100, height: 80 },
    { id: 3, file_name: 'gone.png', width: 10, height: 10 },
  ],
  categories: [
    { id: 1, name: 'Good' },
    { id: 2, name: 'broken' },
    { id: 3, name: 'string' },
  ],
  annotations: [
    { id: 7, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20] },
    { id: 8, image_id: 1, category_id: 3, bbox: [0, 0, 100, 40] },
    { id: 9, image_id: 2, category_id: 2, bbox: [90, 70, 20, 20] },
    { id: 10, image_id: 3, category_id: 2, bbox: [0, 0, 5, 5] },
  ],
});

/** A cropper that records what it was asked for, for images of 100×80. */
function fakeCropper(): { cropper: Cropper; cuts: { file: string; region: Box; side: number }[] } {
  const cuts: { file: string; region: Box; side: number }[] = [];
  const cropper: Cropper = async (f) => ({
    width: 100,
    height: 80,
    crop: async (region, side) => {
      cuts.push({ file: f.name, region, side });
      return new Blob([`${f.name}:${region.x0},${region.y0}`], { type: 'image/png' });
    },
    close: () => {},
  });
  return { cropper, cuts };
}

describe('dropping a detection dataset', () => {
  it('splitAnnotationFiles: .xml and COCO .json are annotations; model.json, metadata.json, a model under another name and images are not', async () => {
    const files = [file('a.xml', '<annotation/>'), file('instances.json', coco), file('model.json', '{}'), file('metadata.json', '{"labels":[]}'), file('mine.json', '{"modelTopology":{},"weightsManifest":[]}'), file('x.png', '', 'image/png')];
    const { annotations, rest } = await splitAnnotationFiles(files);
    expect(annotations.map((f) => f.file.name)).toEqual(['a.xml', 'instances.json']);
    expect(rest.map((f) => f.file.name)).toEqual(['model.json', 'metadata.json', 'mine.json', 'x.png']);
  });

  it('reads one COCO file or several VOC files; a malformed entry names the file and the entry', async () => {
    expect((await readAnnotationFiles([file('instances.json', coco)])).objects).toHaveLength(4);
    const voc = (img: string) => `<annotation><filename>${img}</filename><object><name>good</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object></annotation>`;
    const set = await readAnnotationFiles([at('ann/a.xml', 'a.xml', voc('a.png')), at('ann/b.xml', 'b.xml', voc('b.png'))]);
    expect(set.format).toBe('voc');
    expect(set.images.map((i) => i.file)).toEqual(['a.png', 'b.png']);
    const bad = JSON.parse(coco);
    delete bad.annotations[2].bbox;
    await expect(readAnnotationFiles([at('data/instances.json', 'instances.json', JSON.stringify(bad))])).rejects.toThrow('data/instances.json: annotations[2] (id 9): missing bbox');
    await expect(readAnnotationFiles([file('instances.json', '{"images": [')])).rejects.toThrow(/^instances\.json: not valid JSON/);
    await expect(readAnnotationFiles([file('instances.json', coco), file('a.xml', voc('a.png'))])).rejects.toThrow(/not both/);
  });

  it('annotatedCrops: one crop per box of the model\'s classes at its input size, truths as class indices; the rest counted', async () => {
    const set = await readAnnotationFiles([file('instances.json', coco)]);
    const images = [at('ds/images/scene-0.png', 'scene-0.png'), at('ds/images/scene-1.png', 'scene-1.png'), at('ds/images/extra.png', 'extra.png')];
    const { cropper, cuts } = fakeCropper();
    const r = await annotatedCrops(images, set, { classNames: ['good', 'broken', 'flashover'], side: 64, padding: 0, square: false }, cropper);
    expect(r.crops.map((c) => [c.id, c.truth, c.file.name, c.file.type])).toEqual([
      ['images/scene-0_7_good.png', 0, 'scene-0_7_good.png', 'image/png'],
      ['scene-1_9_broken.png', 1, 'scene-1_9_broken.png', 'image/png'],
    ]);
    expect(cuts).toEqual([
      { file: 'scene-0.png', region: { x0: 10, y0: 10, x1: 30, y1: 30 }, side: 64 },
      { file: 'scene-1.png', region: { x0: 90, y0: 70, x1: 100, y1: 80 }, side: 64 },
    ]);
    expect(r.skippedCategories).toEqual({ string: 1 });
    expect(r.nClipped).toBe(1);
    expect(r.missingImages).toEqual(['gone.png']);
    expect(r.unannotated).toEqual(['ds/images/extra.png']);
    expect(cropsSummary(r, 2)).toBe(
      'Cut 2 crop(s) from 2 annotated image(s); skipped 1 string box(es) (not a class of the model); 1 box(es) clipped to the image; 1 annotated image(s) not dropped (gone.png); 1 dropped image(s) without annotations left out.',
    );
  });
});
