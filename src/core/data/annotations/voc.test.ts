import { describe, expect, it } from 'vitest';
import { parseVoc, parseVocFiles } from './voc';
import { AnnotationError } from './types';

const obj = (name: string, b: [number, number, number, number]) =>
  `<object><name>${name}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult><bndbox><xmin>${b[0]}</xmin><ymin>${b[1]}</ymin><xmax>${b[2]}</xmax><ymax>${b[3]}</ymax></bndbox></object>`;
const doc = (file: string, objects: string, size = '<size><width>200</width><height>100</height><depth>3</depth></size>') =>
  `<?xml version="1.0"?>\n<annotation>\n<folder>JPEGImages</folder><filename>${file}</filename>${size}${objects}</annotation>\n`;

function err(text: string): string {
  try {
    parseVoc({ name: 'a.xml', text });
  } catch (e) {
    expect(e).toBeInstanceOf(AnnotationError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseVoc', () => {
  it('reads filename, size and every object (1-based inclusive VOC boxes → 0-based, x1/y1 exclusive)', () => {
    const r = parseVoc({ name: 'a.xml', text: doc('a.png', obj('Broken', [11, 21, 30, 60]) + obj('string', [1, 1, 200, 100])) });
    expect(r.image).toEqual({ file: 'a.png', width: 200, height: 100 });
    expect(r.objects).toEqual([
      { image: 'a.png', annotationId: '0', category: 'Broken', box: { x0: 10, y0: 20, x1: 30, y1: 60 }, source: 'a.xml: object[0] (Broken)' },
      { image: 'a.png', annotationId: '1', category: 'string', box: { x0: 0, y0: 0, x1: 200, y1: 100 }, source: 'a.xml: object[1] (string)' },
    ]);
  });

  it('one object is still a list; no objects and no size are fine', () => {
    expect(parseVoc({ name: 'a.xml', text: doc('a.png', obj('good', [1, 1, 5, 5])) }).objects).toHaveLength(1);
    const r = parseVoc({ name: 'a.xml', text: doc('b.png', '', '') });
    expect(r).toEqual({ image: { file: 'b.png' }, objects: [] });
  });

  it('names the file and the object of a malformed entry', () => {
    expect(err(doc('a.png', obj('good', [1, 1, 5, 5]) + '<object><name>broken</name></object>'))).toBe('a.xml: object[1] (broken): missing <bndbox>');
    expect(err(doc('a.png', obj('good', [20, 1, 10, 5])))).toBe('a.xml: object[0] (good): xmax 10 < xmin 20 (negative width)');
    expect(err(doc('a.png', '<object><name>good</name><bndbox><xmin>1</xmin><ymin>x</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>'))).toBe(
      'a.xml: object[0] (good): ymin "x" is not a number',
    );
    expect(err(doc('a.png', '<object><bndbox><xmin>1</xmin></bndbox></object>'))).toBe('a.xml: object[0]: missing <name>');
    expect(err('<annotation><object/></annotation>')).toBe('a.xml: missing <filename>');
    expect(err('<annotation><filename>a.png</filename>')).toMatch(/^a\.xml: not well-formed XML \(line \d+: /);
    expect(err('<svg></svg>')).toBe('a.xml: not a Pascal VOC annotation (no <annotation> root)');
    // nested entities ("billion laughs") are not expanded: no blow-up
    const lol = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "${'x'.repeat(100)}">${Array.from({ length: 6 }, (_, i) => `<!ENTITY b${i} "${`&${i ? `b${i - 1}` : 'a'};`.repeat(10)}">`).join('')}]><annotation><filename>&b5;</filename></annotation>`;
    expect(parseVoc({ name: 'a.xml', text: lol }).image.file.length).toBeLessThan(1000);
  });

  it('parseVocFiles joins a folder of files and refuses two files for one image', () => {
    const s = parseVocFiles([
      { name: 'a.xml', text: doc('a.png', obj('good', [1, 1, 5, 5])) },
      { name: 'b.xml', text: doc('b.png', obj('flashover', [1, 1, 5, 5])) },
    ]);
    expect(s.format).toBe('voc');
    expect(s.objects.map((o) => `${o.image}:${o.category}`)).toEqual(['a.png:good', 'b.png:flashover']);
    expect(() => parseVocFiles([
      { name: 'a.xml', text: doc('a.png', '') },
      { name: 'c.xml', text: doc('a.png', '') },
    ])).toThrow('c.xml: <filename> a.png is also annotated by a.xml');
  });
});
