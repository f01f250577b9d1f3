import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeatmapFileError, decodeNpyMaps, isGrayscalePng, npyHeatmaps, parseExplanationsJsonl, parseIds, parsePredictionRows, parsePredictions } from './heatmap-files';

// .npy files written by numpy (src/cli/fixtures/byo/make.py), read as bytes as the app reads a drop.
const BYO = join(import.meta.dirname, '..', '..', 'cli', 'fixtures', 'byo');
const npy = (name: string): ArrayBuffer => {
  const b = readFileSync(join(BYO, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};

const line = (o: Record<string, unknown>) => JSON.stringify({ id: 'a', predicted: 0, probs: [1], target: 0, layer: 'c', size: [1, 2], heatmap: [0, 1], ...o });

describe('explanations.jsonl', () => {
  it('keeps the good lines and names each bad one with its line number', () => {
    const text = [line({ id: 'a' }), 'not json', line({ id: 'b', heatmap: [2, 0] }), line({ id: 'a' }), line({ id: 'c', size: [2, 1] }), line({ id: 'd', heatmap: [0.5, 0.25] })].join('\n');
    const ex = parseExplanationsJsonl(text, 'x.jsonl');
    expect(ex.records.map((r) => r.id)).toEqual(['a', 'd']);
    expect(Array.from(ex.heatmaps)).toEqual([0, 1, 0.5, 0.25]);
    expect(ex.patches).toBeNull();
    expect(ex.bad.map((b) => b.message)).toEqual([
      'x.jsonl:2: not a JSON object',
      'x.jsonl:3: heatmap values must be numbers in [0, 1]',
      'x.jsonl:4: duplicate id "a"',
      'x.jsonl:5: heatmap size 2×1 differs from 1×2 on earlier lines',
    ]);
  });

  it('refuses a file with no usable line, naming the first problem', () => {
    expect(() => parseExplanationsJsonl('{"id": 1}\n', 'x.jsonl')).toThrow(new HeatmapFileError('x.jsonl:1: missing "id"'));
    expect(() => parseExplanationsJsonl('\n', 'x.jsonl')).toThrow('x.jsonl holds no explanations');
  });
});

describe('.npy maps with their ids', () => {
  it('reads float32, float64 [N, H, W, 1] and uint8 arrays as numpy wrote them', () => {
    for (const f of ['maps-f4.npy', 'maps-f8-nhw1.npy', 'maps-u1.npy']) {
      const m = decodeNpyMaps(npy(f), f);
      expect([m.n, m.h, m.w].every((k) => k > 0), f).toBe(true);
      expect(m.data.length).toBe(m.n * m.h * m.w);
      const ids = Array.from({ length: m.n }, (_, i) => `id${i}`);
      // At its own size each map is only normalised: its maximum becomes 1.
      const { heatmaps } = npyHeatmaps(m, ids, f, [m.h, m.w]);
      expect(heatmaps).toHaveLength(m.n * m.h * m.w);
      for (let i = 0; i < m.n; i++) expect(Math.max(...heatmaps.subarray(i * m.h * m.w, (i + 1) * m.h * m.w)), `${f} map ${i}`).toBeCloseTo(1, 5);
      expect(npyHeatmaps(m, ids, f, [8, 8]).heatmaps).toHaveLength(m.n * 64);
      expect(Math.min(...heatmaps)).toBeGreaterThanOrEqual(0);
    }
  });

  it('names the file for a wrong shape, Fortran order or bytes that are no .npy', () => {
    expect(() => decodeNpyMaps(npy('maps-2d.npy'), 'maps-2d.npy')).toThrow(/^maps-2d\.npy: shape \[\d+, \d+\], expected \[N, H, W\]/);
    expect(() => decodeNpyMaps(npy('maps-fortran.npy'), 'maps-fortran.npy')).toThrow('maps-fortran.npy: Fortran order');
    expect(() => decodeNpyMaps(new Uint8Array([1, 2, 3]).buffer, 'x.npy')).toThrow(/^x\.npy: not a \.npy array/);
  });

  it('wants one unique id per map', () => {
    expect(parseIds('a\n\n b \nc\n', 'ids.txt', 3, 'm.npy')).toEqual(['a', 'b', 'c']);
    expect(() => parseIds('a\nb\n', 'ids.txt', 3, 'm.npy')).toThrow('ids.txt: 2 id(s) for the 3 maps of m.npy');
    expect(() => parseIds('a\na\nb\n', 'ids.txt', 3, 'm.npy')).toThrow('ids.txt: duplicate id "a"');
  });
});

describe('predictions.csv', () => {
  const known = new Set(['a', 'b', 'c']);
  it('keeps good rows, names bad rows by number and lists unknown ids', () => {
    const r = parsePredictionRows('id,predicted,confidence\na,cat,0.9\nb,dog,1.5\nc,,0.2\nz,cat,0.5\n', 'p.csv', known);
    expect([...r.predictions]).toEqual([['a', { predicted: 'cat', confidence: 0.9 }]]);
    expect(r.bad).toEqual(['p.csv: row 3: confidence must be a number in [0, 1], got "1.5"', 'p.csv: row 4: predicted is empty', 'p.csv: 1 id(s) not among the images/explanations: "z"']);
    expect(() => parsePredictions('id,predicted,confidence\nb,dog,1.5\n', 'p.csv', known)).toThrow('p.csv: row 2: confidence');
    expect(() => parsePredictionRows('id,class\na,1\n', 'p.csv', known)).toThrow('p.csv: missing column "predicted"');
  });
});

describe('PNG headers', () => {
  it('tells a one-channel PNG from an RGB one', () => {
    const head = (type: number) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 4, 8, type]);
    expect(isGrayscalePng(head(0))).toBe(true);
    expect(isGrayscalePng(head(4))).toBe(true);
    expect(isGrayscalePng(head(2))).toBe(false);
    expect(isGrayscalePng(head(0).subarray(0, 20))).toBe(false);
    expect(isGrayscalePng(new Uint8Array(26))).toBe(false);
  });
});
