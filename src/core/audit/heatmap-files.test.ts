import { describe, expect, it } from 'vitest';
import { HeatmapFileError, decodeNpyMaps, isGrayscalePng, npyHeatmaps, parseExplanationsJsonl, parseIds, parsePredictionRows, parsePredictions } from './heatmap-files';

// .npy bytes as numpy writes them (format 1.0: magic, version, header length, a padded dict header, the
// data); the CLI's tests read files numpy itself wrote (src/cli/fixtures/byo).
function npy(descr: string, shape: number[], data: ArrayBufferView, fortran = false): ArrayBuffer {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Array.from(header, (c) => c.charCodeAt(0)), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out.buffer;
}
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 7) - 2);

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
  it('reads float32, float64 [N, H, W, 1] and uint8 arrays: ReLU, ÷ max, resized', () => {
    const cases: [string, string, number[], ArrayBufferView][] = [
      ['f4', '<f4', [2, 3, 4], ramp(24)],
      ['f8 nhw1', '<f8', [2, 3, 4, 1], Float64Array.from(ramp(24))],
      ['u1', '|u1', [2, 3, 4], Uint8Array.from({ length: 24 }, (_, i) => i * 10)],
    ];
    for (const [label, descr, shape, data] of cases) {
      const m = decodeNpyMaps(npy(descr, shape, data), 'maps.npy');
      expect([m.n, m.h, m.w], label).toEqual([2, 3, 4]);
      // At its own size each map is only normalised: its maximum becomes 1, negatives 0.
      const { heatmaps } = npyHeatmaps(m, ['a', 'b'], 'maps.npy', [3, 4]);
      for (let i = 0; i < 2; i++) expect(Math.max(...heatmaps.subarray(i * 12, (i + 1) * 12)), `${label} map ${i}`).toBeCloseTo(1, 6);
      expect(Math.min(...heatmaps)).toBe(0);
      expect(npyHeatmaps(m, ['a', 'b'], 'maps.npy', [8, 8]).heatmaps).toHaveLength(128);
    }
  });

  it('names the file for a wrong shape or dtype, Fortran order or bytes that are no .npy', () => {
    expect(() => decodeNpyMaps(npy('<f4', [3, 4], ramp(12)), 'm.npy')).toThrow('m.npy: shape [3, 4], expected [N, H, W] (or [N, H, W, 1])');
    expect(() => decodeNpyMaps(npy('<f4', [2, 3, 4], ramp(24), true), 'm.npy')).toThrow('m.npy: Fortran order');
    expect(() => decodeNpyMaps(npy('|b1', [1, 2, 2], new Uint8Array(4)), 'm.npy')).toThrow(/^m\.npy: (dtype|not a \.npy)/);
    expect(() => decodeNpyMaps(new Uint8Array([1, 2, 3]).buffer, 'x.npy')).toThrow(/^x\.npy: not a \.npy array/);
    expect(() => npyHeatmaps(decodeNpyMaps(npy('<f4', [1, 1, 2], Float32Array.from([1, NaN])), 'n.npy'), ['a'], 'n.npy', [2, 2])).toThrow(/^n\.npy: map 0: value NaN/);
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
    // An id on two rows is refused by row (the first stays), never decided silently by the last.
    const dup = parsePredictionRows('id,predicted,confidence\na,cat,0.9\na,dog,0.1\n', 'p.csv', known);
    expect(dup.bad).toEqual(['p.csv: row 3: id "a" is already on row 2']);
    expect(dup.predictions.get('a')).toEqual({ predicted: 'cat', confidence: 0.9 });
    expect(() => parsePredictions('id,predicted,confidence\na,cat,0.9\na,cat,0.9\n', 'p.csv', known)).toThrow('p.csv: row 3: id "a" is already on row 2');
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
